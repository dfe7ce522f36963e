#!/usr/bin/env python3
"""Fails when two source files of one layer define the same name in their
anonymous namespaces.

With -DHPOPS_UNITY_BUILD=ON (the README's run command, and the sanitizer
builds) a layer's .cpp files are compiled as one unit, so file-local names
meet: two `trim`s fail to compile, and two overloads of one name may silently
pick each other's. A file-local name that a header of the layer also declares
at namespace level (`pod_ready` in one file's anonymous namespace, and in
another file's header) is caught too: in one unit, a call may be ambiguous,
or bind to the other. `using a::b;` may repeat, and so may an alias for the
same type (`using json = nlohmann::json;`).

    check_unity_names.py BUILD/layers.txt SOURCE_DIR
    check_unity_names.py --self-test
"""
import collections
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_layering import check_main, owner, read_layers, source_files  # noqa: E402

OPEN = re.compile(r'^namespace \{')
CLOSE = re.compile(r'^\}\s*// namespace\s*$')
TYPE = re.compile(r'^(?:template\s*<[^>]*>\s*)?(?:struct|class|enum class|enum|union)\s+(\w+)')
ALIAS = re.compile(r'^(?:using|namespace)\s+(\w+)\s*=\s*([^;]+);')
# A function or variable defined at the namespace's top level (column 0).
DEFINITION = re.compile(r'^(?!using\b|return\b|template\b)[A-Za-z_][\w:<>,\s\*&\[\]]*?[\s\*&](\w+)\s*(?:\(|=|\{|\[)')


def local_names(text):
    names, inside = set(), False
    for line in text.split('\n'):
        if OPEN.match(line):
            inside = True
        elif inside and CLOSE.match(line):
            inside = False
        elif inside:
            alias = ALIAS.match(line)
            if alias:  # the same alias twice is one name
                names.add(alias.group(1) + ' = ' + alias.group(2).strip())
                continue
            m = TYPE.match(line) or DEFINITION.match(line)
            if m and m.group(1) != 'operator':
                names.add(m.group(1))
    return names


NESTED_OPEN = re.compile(r'^namespace (?!hpops\b)\w+ \{')
NESTED_CLOSE = re.compile(r'^\}\s*// namespace \w+\s*$')


def public_names(text):
    """Names a header declares at its layer's namespace level: column 0, not
    in an anonymous or nested named namespace (`hyperpod_labels::health`)."""
    names, skipping = set(), 0
    for line in text.split('\n'):
        if OPEN.match(line) or NESTED_OPEN.match(line):
            skipping += 1
        elif skipping and (CLOSE.match(line) or NESTED_CLOSE.match(line)):
            skipping -= 1
        elif not skipping and not ALIAS.match(line):  # an alias may repeat
            m = DEFINITION.match(line)
            if m and m.group(1) != 'operator':
                names.add(m.group(1))
    return names


def clashes(layers, source_dir):
    seen = collections.defaultdict(lambda: collections.defaultdict(list))
    declared = collections.defaultdict(lambda: collections.defaultdict(list))
    sources = [(path, relative, owner(layers, relative)) for path, relative in source_files(layers, source_dir)]
    for path, relative, name in sources:
        if name and relative.endswith('.hpp'):
            for public in public_names(open(path, encoding='utf-8').read()):
                declared[name][public].append(relative)
    found = []
    for path, relative, name in sources:
        if not name or not relative.endswith('.cpp'):
            continue
        text = open(path, encoding='utf-8').read()
        lines = text.split('\n')
        # This check reads an anonymous namespace up to that line.
        if sum(bool(OPEN.match(line)) for line in lines) > sum(bool(CLOSE.match(line)) for line in lines):
            found.append(f'{name}: {relative} closes an anonymous namespace without `}}  // namespace`')
        for local in local_names(text):
            seen[name][local].append(relative)
    for layer, names in sorted(seen.items()):
        for local, files in sorted(names.items()):
            if ' = ' not in local and len(files) > 1:
                found.append(f'{layer}: `{local}` in the anonymous namespaces of {", ".join(sorted(files))}')
            if local in declared[layer]:
                found.append(f'{layer}: `{local}` in the anonymous namespace of {", ".join(sorted(files))} '
                             f'and declared by {", ".join(sorted(declared[layer][local]))}')
        aliases = collections.defaultdict(dict)
        for local, files in names.items():
            if ' = ' in local:
                name, target = local.split(' = ', 1)
                aliases[name][target] = files
        for name, targets in sorted(aliases.items()):
            if len(targets) > 1:
                files = sorted(f for fs in targets.values() for f in fs)
                found.append(f'{layer}: alias `{name}` for different types in {", ".join(files)}')
    return found


def self_test():
    with tempfile.TemporaryDirectory() as root:
        def write(relative, text):
            os.makedirs(os.path.join(root, os.path.dirname(relative)), exist_ok=True)
            open(os.path.join(root, relative), 'w').write(text)
        write('layers.txt', 'hpops_common flat common\nhpops_aws recursive integrations hpops_common\n')
        write('common/a.cpp', 'namespace hpops {\nnamespace {\n\nusing nlohmann::json;\n'
                              'std::string_view trim(std::string_view s) {\n    return s;\n}\n\n}  // namespace\n}\n')
        write('common/b.cpp', 'namespace {\nusing nlohmann::json;\nconstexpr int limit = 3;\n}  // namespace\n'
                              'std::string_view trim(std::string_view s) { return s; }\n')
        write('integrations/aws/c.cpp', 'namespace {\nusing json = nlohmann::json;\nnamespace asio = boost::asio;\n'
                                        'struct Use {};\n}  // namespace\n')
        write('integrations/k8s/d.cpp', 'namespace {\nusing json = nlohmann::json;\nnamespace asio = boost::asio;\n'
                                        'struct Use {};\n}  // namespace\n')
        write('integrations/k8s/asio.hpp', 'namespace hpops {\nnamespace asio = boost::asio;\n}\n')
        layers = read_layers(os.path.join(root, 'layers.txt'))
        found = clashes(layers, root)
        assert found == ['hpops_aws: `Use` in the anonymous namespaces of integrations/aws/c.cpp, '
                         'integrations/k8s/d.cpp'], found
        write('common/b.cpp', 'namespace {\nstd::string trim(std::string s) { return s; }\n}  // namespace\n')
        assert len(clashes(layers, root)) == 2, clashes(layers, root)
        write('integrations/k8s/d.cpp', 'namespace {\nusing json = std::string;\n}  // namespace\n')
        assert clashes(layers, root)[0] == ('hpops_aws: alias `json` for different types in integrations/aws/c.cpp, '
                                            'integrations/k8s/d.cpp'), clashes(layers, root)
        # A header's public name, against a file-local one; a nested
        # namespace's name is not at the layer's level.
        write('integrations/k8s/d.cpp', 'namespace {\nbool pod_ready(const json& pod) { return true; }\n'
                                        'int health = 0;\n}  // namespace\n')
        write('integrations/k8s/pods.hpp', 'namespace hpops::k8s {\nnamespace labels {\nconstexpr int health = 1;\n'
                                           '}  // namespace labels\nbool pod_ready(const json& pod);\n}\n')
        assert ('hpops_aws: `pod_ready` in the anonymous namespace of integrations/k8s/d.cpp and declared by '
                'integrations/k8s/pods.hpp') in clashes(layers, root), clashes(layers, root)
        assert not any('health' in c for c in clashes(layers, root)), clashes(layers, root)
        write('integrations/k8s/d.cpp', 'namespace {\nconstexpr int limit = 3;\n}\nint f() { return limit; }\n')
        assert ('hpops_aws: integrations/k8s/d.cpp closes an anonymous namespace without `}  // namespace`'
                in clashes(layers, root)), clashes(layers, root)
    print('check_unity_names: self-test passed (same-named file-local helpers of one layer are caught)')


def main(argv):
    return check_main(argv, __doc__, self_test,
                      lambda layers_file, source_dir: clashes(read_layers(layers_file), source_dir), 'unity names',
                      'name(s) defined twice in one layer: rename one, or share one in a header')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
