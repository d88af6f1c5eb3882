"""Make the canonical form of the hand-written notebook fixture with nbformat itself.

Run with /opt/torchenv/bin/python from this directory. nbformat.write splits multiline
text into lists of lines and lays the JSON out the way Jupyter saves notebooks, so
notebooks/distill.canonical.ipynb is what Retort's writer must reproduce byte for byte.
"""

import nbformat

notebook = nbformat.read("notebooks/distill.ipynb", as_version=nbformat.NO_CONVERT)
nbformat.validate(notebook)
nbformat.write(notebook, "notebooks/distill.canonical.ipynb")
