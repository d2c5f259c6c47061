"""Translation memories: approved segment pairs, their files (TMX 1.4b, TSV, CSV), and the
index that finds a text's exact or closest approved pairs at translation time.
"""
