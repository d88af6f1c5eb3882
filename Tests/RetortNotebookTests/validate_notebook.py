"""Validate notebooks against the official nbformat JSON schema.

Usage: python validate_notebook.py NOTEBOOK.ipynb [...]

Reads each file exactly as written (no version conversion) and runs nbformat.validate,
which checks the nbformat 4.x schema including cell ids. Prints one line per file and
exits with status 1 if any file fails, 2 if nbformat is not installed.
"""

import sys

try:
    import nbformat
except ImportError:
    print("nbformat is not installed", file=sys.stderr)
    sys.exit(2)


def main(paths):
    failed = False
    for path in paths:
        try:
            notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            nbformat.validate(notebook)
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
