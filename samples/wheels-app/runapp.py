"""The write-up's entry point: `python runapp.py`."""
from wheelsapp.server import main

if __name__ == "__main__":
    main()
