#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer its own does not link.

The layers and their links are the CMake targets declared with hpops_layer() in
CMakeLists.txt; configuring writes them to layers.txt, one line per layer:

    hpops_handlers flat handlers hpops_command

(name, whether its folders include sub-folders, its folders, the layers it
links). A file belongs to the layer whose folder holds it most closely; it may
include its own layer's headers and those of every layer it reaches through
links. The build runs this before linking hpops, so a wrong arrow fails the
build; CTest runs it with --self-test, which proves it still catches one.

    check_layering.py BUILD/layers.txt SOURCE_DIR
    check_layering.py --self-test
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def read_layers(path):
    layers = {}
    for line in open(path):
        parts = line.split()
        if not parts:
            continue
        name, depth, folders = parts[0], parts[1], parts[2].split(',')
        links = parts[3].split(',') if len(parts) > 3 else []
        layers[name] = {'recursive': depth == 'recursive', 'folders': folders, 'links': links}
    return layers


def reachable(layers, name):
    seen, todo = set(), [name]
    while todo:
        layer = todo.pop()
        if layer in seen or layer not in layers:
            continue
        seen.add(layer)
        todo.extend(layers[layer]['links'])
    return seen


def owner(layers, relative):
    """The layer whose folder holds this file most closely, or None."""
    folder = os.path.dirname(relative)
    best, best_len = None, -1
    for name, layer in layers.items():
        for f in layer['folders']:
            inside = folder == f or (layer['recursive'] and folder.startswith(f + '/'))
            if inside and len(f) > best_len:
                best, best_len = name, len(f)
    return best


def source_files(layers, source_dir):
    """Every .cpp and .hpp under the layers' folders, once each."""
    seen = set()
    for folder in sorted({f for layer in layers.values() for f in layer['folders']}):
        for top, _, files in os.walk(os.path.join(source_dir, folder)):
            for file in sorted(files):
                path = os.path.join(top, file)
                if file.endswith(('.cpp', '.hpp')) and path not in seen:
                    seen.add(path)
                    yield path, os.path.relpath(path, source_dir)


def violations(layers, source_dir):
    found = []
    allowed = {name: reachable(layers, name) for name in layers}
    for path, relative in source_files(layers, source_dir):
        layer = owner(layers, relative)
        if layer is None:
            continue  # a sub-folder no layer claims
        for header in INCLUDE.findall(open(path, encoding='utf-8', errors='replace').read()):
            target = 'include/' + header if header.startswith('hpops/') else header
            other = owner(layers, target)
            if other is not None and other not in allowed[layer]:
                found.append(f'{relative}: includes "{header}" from {other}, which {layer} does not link '
                             f'(it links {", ".join(sorted(allowed[layer] - {layer})) or "nothing"})')
    return found


def self_test():
    """A handler that includes a bot/ header must be caught; a clean tree must pass."""
    with tempfile.TemporaryDirectory() as root:
        def write(relative, text):
            os.makedirs(os.path.join(root, os.path.dirname(relative)), exist_ok=True)
            open(os.path.join(root, relative), 'w').write(text)
        write('layers.txt', 'hpops_interfaces flat include/hpops\n'
                            'hpops_command flat command hpops_interfaces\n'
                            'hpops_handlers flat handlers hpops_command\n'
                            'hpops_dispatch flat bot/dispatch hpops_handlers\n'
                            'hpops_app flat bot hpops_dispatch\n')
        write('include/hpops/reply.hpp', '#pragma once\n')
        write('command/parser.hpp', '#include "hpops/reply.hpp"\n')
        write('handlers/help.cpp', '#include "command/parser.hpp"\n#include "hpops/reply.hpp"\n')
        write('bot/dispatch/dispatcher.hpp', '#include "handlers/help.hpp"\n')
        write('bot/app.cpp', '#include "bot/dispatch/dispatcher.hpp"\n')
        layers = read_layers(os.path.join(root, 'layers.txt'))
        clean = violations(layers, root)
        assert clean == [], clean
        write('handlers/help.cpp', '#include "command/parser.hpp"\n#include "bot/dispatch/dispatcher.hpp"\n')
        caught = violations(layers, root)
        assert len(caught) == 1 and caught[0].startswith('handlers/help.cpp: includes "bot/dispatch/dispatcher.hpp"'), caught
        write('handlers/help.cpp', '#include "bot/app.hpp"\n')
        assert len(violations(layers, root)) == 1
    print('check_layering: self-test passed (a handlers/ include of a bot/ header is caught)')


def check_main(argv, usage, self_test, find, prefix, summary):
    """The command line of the layering checks: `--self-test`, or LAYERS SOURCE_DIR,
    printing each finding of find(LAYERS, SOURCE_DIR) and failing on any."""
    if argv[1:] == ['--self-test']:
        self_test()
        return 0
    if len(argv) != 3:
        print(usage, file=sys.stderr)
        return 2
    found = find(argv[1], argv[2])
    for finding in found:
        print(f'{prefix}: {finding}', file=sys.stderr)
    if found:
        print(f'{prefix}: {len(found)} {summary}', file=sys.stderr)
        return 1
    return 0


def main(argv):
    return check_main(argv, __doc__, self_test,
                      lambda layers_file, source_dir: violations(read_layers(layers_file), source_dir),
                      'layering', 'include(s) against the layers (CMakeLists.txt, hpops_layer)')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
