"""Validate notebooks against the official nbformat JSON schema.

Usage: python validate_notebook.py NOTEBOOK.ipynb [...]

Reads each file exactly as written (no version conversion) and runs nbformat.validate,
which checks the nbformat 4.x schema. nbformat silently repairs missing or duplicate cell
ids (warning only); here warnings count as failures and ids must be unique, so a
notebook passes only if Jupyter would load it unchanged. Prints one line per file and
exits with status 1 if any file fails, 2 if nbformat is not installed.
"""

import sys
import warnings

try:
    import nbformat
except ImportError:
    print("nbformat is not installed", file=sys.stderr)
    sys.exit(2)


def main(paths):
    failed = False
    for path in paths:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
                nbformat.validate(notebook)
            ids = [cell.get("id") for cell in notebook.cells]
            if notebook.nbformat_minor >= 5 and len(set(ids)) != len(ids):
                raise ValueError(f"cell ids are not unique: {ids}")
            print(f"ok: {path}")
        except Exception as error:  # ValidationError, JSON errors, missing files
            failed = True
            print(f"invalid: {path}: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(1)
    sys.exit(main(sys.argv[1:]))
