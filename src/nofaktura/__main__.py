"""``python -m nofaktura``: the same command line as the ``nofaktura`` script."""

import sys

from nofaktura.cli import main

if __name__ == "__main__":
    sys.exit(main())
