import sys

from nofaktura.cli import main

sys.exit(main())
