import sys

from minhbach.cli import main

sys.exit(main())
