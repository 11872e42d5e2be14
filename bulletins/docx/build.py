"""Builds the default Word template of the bulletins (bulletin.docx beside this file) with the
inspection documents' layout (inspections/docx/build.py: 红头, 文号, title, sections, signature),
which an office replaces with its own in the administration (document templates, kind 通报).
Run it again after changing the layout:

    .venv/bin/python bulletins/docx/build.py
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    from inspections.docx.build import build

    print(build("bulletin", directory=HERE, title="通报", with_recipient=True))
