#!/usr/bin/env python3
# Checks that the Flatpak manifest stays in step with meson: same app id,
# the binary meson installs, and a GNOME runtime that ships the GTK and
# libadwaita versions the code is pinned to (GNOME 43: GTK 4.8, Adwaita 1.2).
import json
import sys

manifest_path, app_id, binary = sys.argv[1:4]
with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

failures = []
if manifest.get('id') != app_id:
    failures.append(f"id is {manifest.get('id')!r}, meson says {app_id!r}")
if manifest.get('command') != binary:
    failures.append(f"command is {manifest.get('command')!r}, meson installs {binary!r}")
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('runtime-version') != '43':
    failures.append('the runtime must be org.gnome.Platform 43 (GTK 4.8, libadwaita 1.2)')
names = [m.get('name') for m in manifest.get('modules', []) if isinstance(m, dict)]
if not names or names[-1] != 'civic-desk':
    failures.append('civic-desk must be the last module')
if 'libshumate' not in names:
    failures.append('libshumate is not in the GNOME runtime and must be built')

for failure in failures:
    print(f'{manifest_path}: {failure}', file=sys.stderr)
sys.exit(1 if failures else 0)
