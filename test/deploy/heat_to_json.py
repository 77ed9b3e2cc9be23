"""Prints a Heat (HOT) template as JSON, parsed by Heat's own loader (as `openstack stack create` reads it).

Usage: /usr/bin/python3 heat_to_json.py TEMPLATE
"""

import json
import sys

from heat.common import template_format


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as handle:
        print(json.dumps(template_format.simple_parse(handle.read()), default=str))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
