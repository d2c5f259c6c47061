"""Monte Carlo tree search over the model's reasoning: tree, UCT policy, actions, verifiers and
reward, budget, the search loop, its results and trace."""
