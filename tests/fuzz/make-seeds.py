#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/TARGET/) from
the recorded Mastodon answers in tests/fixtures and a few hand-made cases.
Run from the source root: python3 tests/fuzz/make-seeds.py [SIM_PAGE.json...]
(SIM_PAGE: a notifications page saved from civic-sim, e.g. with curl)."""

import glob
import hashlib
import json
import os
import sqlite3
import sys

root = os.path.join('tests', 'fuzz', 'corpus')


def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode('utf-8')
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def walk_strings(node, key, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str) and v:
                out.append(v)
            walk_strings(v, key, out)
    elif isinstance(node, list):
        for v in node:
            walk_strings(v, key, out)


bodies = []
links = []
for path in sorted(glob.glob('tests/fixtures/mastodon-recorded/*.json')):
    for it in json.load(open(path))['interactions']:
        r = it['response']
        if 'body' in r:
            bodies.append(r['body'])
        links += r.get('headers', {}).get('link', [])
for path in sorted(glob.glob('tests/fixtures/entities/*.json')):
    bodies.append(json.load(open(path)))
for path in sys.argv[1:]:
    bodies.append(json.load(open(path)))

# entity-json: every answer body, compact, one file each
for b in bodies:
    put('entity-json', json.dumps(b, ensure_ascii=False, separators=(',', ':')))
put('entity-json', '[]')
put('entity-json', '{"id":7,"type":"mention","status":{"id":"1","account":{"id":"2","acct":"a"},'
    '"content":"<p>@alcaldia farola rota 37.2203, -3.5951</p>","visibility":"direct"}}')

# stream-frame: notifications and statuses as streamed frames
notifications = []
statuses = []
for b in bodies:
    items = b if isinstance(b, list) else [b]
    for it in items:
        if isinstance(it, dict) and it.get('type') == 'mention':
            notifications.append(it)
        elif isinstance(it, dict) and 'content' in it and 'account' in it:
            statuses.append(it)
for n in notifications[:8]:
    put('stream-frame', json.dumps({'stream': ['user:notification'], 'event': 'notification',
                                    'payload': json.dumps(n, separators=(',', ':'))}))
for s in statuses[:3]:
    put('stream-frame', json.dumps({'stream': ['user'], 'event': 'update', 'payload': json.dumps(s)}))
put('stream-frame', '{"stream":["user"],"event":"delete","payload":"117020585487094447"}')
put('stream-frame', '{"stream":["user"],"event":"delete","payload":117020585487094447}')
if notifications:
    put('stream-frame', json.dumps({'stream': ['user:notification'], 'event': 'notification',
                                    'payload': notifications[0]}))
put('stream-frame', '{"event":"filters_changed"}')

# status-html: every content and note, and the tricky shapes
html = []
for b in bodies:
    walk_strings(b, 'content', html)
    walk_strings(b, 'note', html)
for h in sorted(set(html))[:40]:
    put('status-html', h)
for h in [
    '<p>Hola <a href="https://jun.example/@alcaldia" class="u-url mention">@<span>alcaldia</span></a></p>'
    '<p>Farola rota en <strong>Calle Real</strong><br>desde ayer &amp; sigue &lt;así&gt; &#128161;</p>',
    '<ul><li>uno</li><li>dos<ol><li>a</li></ol></li></ul><blockquote><pre><code>x &lt; y</code></pre></blockquote>',
    '<script>alert(1)</script><style>p{}</style><a href="javascript:alert(1)">x</a><a href=\'mailto:a@b\'>m</a>',
    '<p><del>viejo</del> <em>nuevo</em> <b><i>unclosed <span class="invisible">https://</span>',
    '&amp;&#x26;&#38;&nbsp;&unknown;&#0;&#xD800;&#1114112;',
]:
    put('status-html', h)

# geotag: places as citizens write them
for t in [
    'Bache en 37.2203, -3.5951 frente al colegio',
    'geo:37.2203,-3.5951;u=20',
    '37°13\'13"N 3°35\'42"W',
    '<p>Aquí: <a href="https://www.openstreetmap.org/?mlat=37.2203&amp;mlon=-3.5951#map=19/37.2203/-3.5951">openstreetmap.org/?mlat=37.22…</a></p>',
    'https://www.google.com/maps/@37.2203,-3.5951,17z y https://maps.example/?q=37.2203,-3.5951',
    'Llamad al 958 123 456, número 12.5, versión 3.14, 2026-08-01',
    'Calle Real\t37.2203\t-3.5951\t80\n# comment\nPlaza Mayor\t37.2210\t-3.5940\t40\n',
]:
    put('geotag', t)
try:
    put('geotag', open('data/jun-streets.tsv', 'rb').read())
except OSError:
    pass
for h in html[:10]:
    put('geotag', h)

# link-header
for l in links:
    put('link-header', l)
for l in [
    '<https://jun.example/api/v1/notifications?max_id=21>; rel="next", <https://jun.example/api/v1/notifications?min_id=25>; rel="prev"',
    '<https://a/x?max_id=1,2>; rel=next; title="a, b", <https://a/y?min_id=%32>; rel="prev first"',
    '<>; rel="next"',
]:
    put('link-header', l)

# mbtiles: small tile sets (512-byte pages keep them a few KB)
tile = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de'
                     '0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082')


def mbtiles(name, view=False, meta=None):
    path = os.path.join(root, 'mbtiles', name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path)
    db.execute('PRAGMA page_size = 512')
    db.execute('CREATE TABLE metadata (name TEXT, value TEXT)')
    for k, v in (meta or {'name': 'Jun', 'format': 'png', 'minzoom': '0', 'maxzoom': '3'}).items():
        db.execute('INSERT INTO metadata VALUES (?, ?)', (k, v))
    if view:
        db.execute('CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT)')
        db.execute('CREATE TABLE images (tile_id TEXT, tile_data BLOB)')
        db.execute('CREATE VIEW tiles AS SELECT zoom_level, tile_column, tile_row, tile_data'
                   ' FROM map JOIN images USING (tile_id)')
        db.execute("INSERT INTO map VALUES (0, 0, 0, 'a'), (1, 0, 1, 'a')")
        db.execute("INSERT INTO images VALUES ('a', ?)", (tile,))
    else:
        db.execute('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)')
        db.execute('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)')
        db.execute('INSERT INTO tiles VALUES (0, 0, 0, ?), (1, 0, 0, ?), (3, 5, 2, ?)', (tile, tile, tile))
    db.commit()
    db.execute('VACUUM')
    db.close()


mbtiles('plain.mbtiles')
mbtiles('view.mbtiles', view=True)
mbtiles('odd-metadata.mbtiles', meta={'minzoom': '-4', 'maxzoom': '99999999999', 'format': None})
