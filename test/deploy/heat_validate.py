"""Validates a Heat (HOT) template with Heat's own engine, offline.

Usage: /usr/bin/python3 heat_validate.py TEMPLATE [ENVIRONMENT [NAME=@FILE ...]]

NAME=@FILE gives parameter NAME the contents of FILE, as `openstack stack create --parameter-file`.

Loads the template as `openstack stack create` would (get_file contents resolved relative to the
template), builds a Stack from it with the environment's parameters and runs Stack.validate():
template syntax and version, parameter types and constraints, every resource type and property
against its schema, intrinsic functions and references, outputs.

Only the checks that ask a cloud service are patched out, and each one skipped is printed:
  - custom constraints answered by an OpenStack API (glance.image, nova.flavor, nova.keypair,
    neutron.network, ...). Constraints Heat evaluates locally (net_cidr, ...) still run;
  - whether a resource type's service is in the service catalog;
  - OS::Nova::Server's look-up of the image and flavor objects.
Prints "valid" and exits 0, or prints the validation error and exits 1.
"""

import os
import sys

from oslo_config import cfg

from heat.common import context, environment_format, template_format
from heat.engine import constraints, environment, resource, resources
from heat.engine import stack as heat_stack
from heat.engine import template as heat_template
from heat.engine.resources.openstack.nova import server as nova_server


def collect_files(node, base_dir, files):
    """Adds the contents of every get_file path in the template to `files` (as heatclient does)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'get_file' and isinstance(value, str):
                with open(os.path.join(base_dir, value), encoding='utf-8') as handle:
                    files[value] = handle.read()
            else:
                collect_files(value, base_dir, files)
    elif isinstance(node, list):
        for item in node:
            collect_files(item, base_dir, files)


def patch_out_service_checks(skipped):
    def client_constraint(self, value, ctx, template=None):
        skipped.append('%s(%s)' % (type(self).__name__, value))
        return True

    # Client-backed constraints use the base validate(); local ones override it and still run.
    constraints.BaseCustomConstraint.validate = client_constraint
    resource.Resource.is_service_available = classmethod(lambda cls, ctx: (True, None))

    def image_flavor(self, image, flavor):
        skipped.append('Server image/flavor lookup(%s, %s)' % (image, flavor))

    nova_server.Server._validate_image_flavor = image_flavor


def add_parameter_files(env_content, assignments):
    """Adds NAME=@FILE assignments to the environment's parameters."""
    parameters = env_content.setdefault('parameters', {})
    for assignment in assignments:
        name, _, source = assignment.partition('=@')
        with open(source, encoding='utf-8') as handle:
            parameters[name] = handle.read()


def main(argv):
    if len(argv) < 2 or any('=@' not in item for item in argv[3:]):
        print(__doc__, file=sys.stderr)
        return 2
    template_path = os.path.abspath(argv[1])
    with open(template_path, encoding='utf-8') as handle:
        parsed = template_format.parse(handle.read())
    env_content = {}
    if len(argv) >= 3:
        with open(argv[2], encoding='utf-8') as handle:
            env_content = environment_format.parse(handle.read())
    add_parameter_files(env_content, argv[3:])

    files = {}
    collect_files(parsed, os.path.dirname(template_path), files)

    cfg.CONF([], project='heat', default_config_files=[])
    resources.initialise()
    skipped = []
    patch_out_service_checks(skipped)

    ctx = context.RequestContext(user_id='validator', project_id='validator', auth_token='offline')
    env = environment.Environment(env_content)
    template = heat_template.Template(parsed, files=files, env=env)
    stack = heat_stack.Stack(ctx, 'glimpse-validate', template)
    try:
        stack.validate()
    except Exception as error:  # Heat raises several exception types; all mean "invalid"
        print('invalid: %s: %s' % (type(error).__name__, error))
        return 1
    for check in dict.fromkeys(skipped):
        print('skipped (needs the cloud): %s' % check)
    print('valid: %d resources, %d files' % (len(stack.resources), len(files)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
