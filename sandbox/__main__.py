"""`python -m sandbox`: run the fake network on 127.0.0.1 for a person to look at."""

from __future__ import annotations

import argparse
import logging

from sandbox.server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--state", default="var/sandbox-state.json", help="JSON file kept across restarts")
    parser.add_argument("--no-simulate", action="store_true", help="do not run the citizen simulator")
    parser.add_argument("--rate", type=float, default=3.0, help="simulated citizen posts per minute")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve_forever(args.host, args.port, args.state, not args.no_simulate, args.rate)


if __name__ == "__main__":
    main()
