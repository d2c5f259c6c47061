"""The few-shot lever: does showing a couple of colloquial review translations help direct mode?

    uv run python -m bench.few_shot --limit 100       # direct with 2 examples per segment
    uv run python -m bench.few_shot --report          # next to the pool run's direct answers

The bank below is ours: short Chinese shopping reviews and listing phrases full of platform
slang, with the English a native shopper would write, none of them from any evaluation set.
Each segment gets the `--shots` bank entries most similar to it (rapidfuzz `ratio` over the
characters), shown the way translation-memory examples are (earlier turns of the
conversation, `translator.prompting.prompts.build_prompt`). The run writes
bench/results/few-shot.jsonl; `--report` scores it against the direct answers `bench.pool run`
wrote for the same segments (same commit, same QA retry) and Online-G.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from rapidfuzz import fuzz
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from bench.common import RESULTS_DIR, eval_file
from bench.pool import POOL_FILE
from translator.engines.factory import create_engine
from translator.evaluation.scores import load_eval_set
from translator.prompting.modes import Segment, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.settings import load_settings

OUT_FILE = RESULTS_DIR / "few-shot.jsonl"

BANK: tuple[tuple[str, str], ...] = (
    (
        "这双鞋踩屎感十足，走一天都不累",
        "These shoes have cloud-like cushioning; I can walk all day without getting tired.",
    ),
    (
        "宝贝收到了，质量杠杠的，性价比超高",
        "Got the item. The quality is excellent and it's great value for money.",
    ),
    (
        "颜值在线，上脚显瘦，闭眼入不踩雷",
        "Looks great and is slimming on; buy it without a second thought, it won't disappoint.",
    ),
    (
        "掌柜人很好，秒发货，快递小哥也给力",
        "The seller is lovely, it shipped right away, and the courier was great too.",
    ),
    (
        "有色差，实物比图片暗一点，差评",
        "The colour is off; the real thing is a bit darker than the photos. Negative review.",
    ),
    (
        "洗了一次就起球掉色，踩雷了，大家避雷",
        "It pilled and faded after one wash. Total letdown, everyone steer clear.",
    ),
    (
        "这个价格买到正品，真香，已经无限回购了",
        "Genuine product at this price, totally worth it. I keep buying it again and again.",
    ),
    (
        "大牌平替，质感不输专柜，学生党闭眼冲",
        "A great dupe for the big brand, as nice as the counter one. Students, just get it.",
    ),
    ("尺码偏大一码，建议拍小一码", "It runs one size large; I'd suggest ordering a size down."),
    (
        "做工精细，走线整齐，没有线头也没有异味",
        "Fine workmanship, neat stitching, no loose threads and no odd smell.",
    ),
    (
        "面料软糯亲肤，上身效果绝绝子",
        "The fabric is soft and gentle on the skin, and it looks amazing on.",
    ),
    (
        "客服态度太差了，问什么都不回，再也不买了",
        "Customer service was awful and never answered anything. Never buying here again.",
    ),
    (
        "物流超快，隔天就到了，包装也很严实",
        "Super fast delivery, it arrived the next day, and it was packed securely.",
    ),
    (
        "被小红书种草的，用了一周果然没让我失望",
        "I was sold on it by posts on Xiaohongshu, and after a week it hasn't let me down.",
    ),
    (
        "翻车了，跟主播说的完全不一样，申请退货",
        "What a flop, nothing like the livestreamer said. I've asked for a return.",
    ),
    (
        "亲，全场包邮，七天无理由退换哦",
        "Hi dear, free shipping on everything, with no-questions-asked returns within seven days.",
    ),
    ("好评返现五元，记得带图评价哦", "Leave a positive review with photos and get 5 yuan back."),
    (
        "手感一般，塑料感有点重，对得起这个价",
        "It feels so-so and a bit plasticky, but fair for the price.",
    ),
    ("续航给力，充一次电能用三天", "The battery life is great; one charge lasts three days."),
    ("老爸穿着说很舒服，下次还来", "My dad says they're really comfortable. I'll be back."),
    ("口感一般般，有点齁甜，不会回购", "The taste is just okay and sickly sweet. Won't buy again."),
    (
        "搞活动入的，比平时便宜了一百多，血赚",
        "Bought it during the sale for over 100 yuan less than usual, an absolute steal.",
    ),
    (
        "保温效果一绝，早上装的水晚上还是烫的",
        "It keeps heat brilliantly: water I fill in the morning is still hot at night.",
    ),
    (
        "小仙女们冲鸭，这个价格不买亏了",
        "Ladies, go for it! You'd be missing out not buying at this price.",
    ),
    (
        "收到有破损，联系客服秒退款，售后点赞",
        "It arrived damaged, but customer service refunded me at once. Great after-sales.",
    ),
    ("屏幕清晰，运行流畅，打游戏不卡", "Clear screen, runs smoothly, no lag when gaming."),
    ("味道很上头，香味持久，不刺鼻", "The scent is addictive, long-lasting and not harsh."),
    ("容量很大，装得下笔记本电脑，通勤必备", "Big capacity, fits a laptop. A commuting essential."),
    ("二手九成新，功能正常，介意勿拍", "Used, 90% new, works fine. Don't buy if that bothers you."),
    ("预售款，下单后十五天内发货", "Pre-order item, ships within fifteen days of ordering."),
)


def examples_for(text: str, shots: int) -> tuple[tuple[str, str], ...]:
    """The `shots` bank entries closest to `text`, closest first."""
    ranked = sorted(BANK, key=lambda pair: -fuzz.ratio(text, pair[0]))
    return tuple(ranked[:shots])


async def run(limit: int, shots: int, out: Path) -> None:
    segments = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=limit)
    done = {json.loads(line)["id"] for line in out.open()} if out.exists() else set()
    settings = load_settings()
    engine = create_engine(settings)
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=settings.max_new_tokens)
    out.parent.mkdir(exist_ok=True)
    try:
        for number, item in enumerate(segments, start=1):
            if item.id in done:
                continue
            segment = Segment(item.src, "zh", "en", examples=examples_for(item.src, shots))
            started = time.perf_counter()
            (answer,) = await runner.run(engine, [segment])
            row = {
                "id": item.id,
                "translation": answer.translation,
                "seconds": round(time.perf_counter() - started, 2),
            }
            with out.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{number}/{len(segments)}", flush=True)
    finally:
        await engine.aclose()


def report(out: Path, pool: Path) -> dict[str, object]:
    shown = {json.loads(line)["id"]: json.loads(line) for line in out.open(encoding="utf-8")}
    rows = [json.loads(line) for line in pool.open(encoding="utf-8")]
    rows = [row for row in rows if row["id"] in shown]
    streams = [[row["refs"][i] for row in rows] for i in range(2)]
    table = {}
    for name, outputs in {
        "direct": [row["direct"] for row in rows],
        "direct + 2 bank examples": [shown[row["id"]]["translation"] for row in rows],
        "Online-G": [row["online"] for row in rows],
    }.items():
        table[name] = {
            "chrf": round(CHRF().corpus_score(outputs, streams).score, 2),
            "bleu": round(BLEU().corpus_score(outputs, streams).score, 2),
        }
    return {"segments": len(rows), "table": table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--shots", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT_FILE)
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    if args.report:
        print(json.dumps(report(args.out, POOL_FILE), indent=2, ensure_ascii=False))
    else:
        asyncio.run(run(args.limit, args.shots, args.out))


if __name__ == "__main__":
    main()
