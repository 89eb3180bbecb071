#!/usr/bin/env python3
"""Build the NLTK data folder docassemble needs, from Debian's WordNet.

docassemble.base imports docassemble_pattern, which loads NLTK's WordNet
corpora at import time and tries to download them when they are missing.
These machines reach no NLTK download server, so the data comes from the
Debian packages ``wordnet-base`` and ``wordnet-sense-index``
(/usr/share/wordnet). Usage: build-nltk-data.py DIR; then NLTK_DATA=DIR.

Only WordNet itself is real data. Puente's interviews never ask docassemble
for word similarity or sentiment, so ``wordnet_ic`` and ``sentiwordnet`` are
minimal placeholders that let the import succeed, and the ``*.zip`` files
exist only so docassemble's start-up check does not try to download them.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")

# WordNet 3.0 lexicographer files, in number order (the 'lexnames' file the
# Debian package leaves out): name and syntactic category (1 noun, 2 verb,
# 3 adjective, 4 adverb).
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}


def build(target: Path) -> Path:
    if not (WORDNET / "data.noun").exists():
        raise SystemExit(f"{WORDNET} is missing: apt-get install wordnet-base wordnet-sense-index")
    corpora = target / "corpora"
    wordnet = corpora / "wordnet"
    wordnet.mkdir(parents=True, exist_ok=True)
    for src in WORDNET.iterdir():
        if src.is_file():
            shutil.copyfile(src, wordnet / src.name)
    (wordnet / "lexnames").write_text(
        "".join(f"{i:02d}\t{name}\t{CATEGORY[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES)))
    ic = corpora / "wordnet_ic"
    ic.mkdir(exist_ok=True)
    # One root per part of speech: the loader takes the maximum of each.
    (ic / "ic-brown.dat").write_text("wnver::placeholder\n1740n 1.0 ROOT\n1740v 1.0 ROOT\n")
    (corpora / "sentiwordnet").mkdir(exist_ok=True)
    (corpora / "omw-1.4").mkdir(exist_ok=True)
    for name in ("omw-1.4", "wordnet", "wordnet_ic", "sentiwordnet"):
        zipfile.ZipFile(corpora / f"{name}.zip", "w").close()
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: build-nltk-data.py DIR")
    print(build(Path(sys.argv[1])))
