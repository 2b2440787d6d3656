/* civic-sim-private.h
 *
 * Internals shared by the files of civic-sim: the JSON writer, request
 * parameters, status text rendering, the sqlite layer and the data set.
 *
 * civic-sim shares no code with the desk (src/core): everything here is
 * written from the Mastodon API documentation on its own, so that one
 * misreading cannot hide in tests that pass on both ends.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SIM_VERSION_STRING "4.3.0 (compatible; civic-sim " PACKAGE_VERSION ")"

/* Jun's centre, where places in the data set are scattered around. */
#define SIM_JUN_LAT 37.2203
#define SIM_JUN_LON -3.5951

/* ------------------------------------------------------------------ */
/* JSON writer: a GString with commas managed per nesting level. Faster
 * than JsonBuilder + JsonGenerator for 80-item pages, and it escapes like
 * Rails does (<, > and & as \u003c, \u003e, \u0026). */

typedef struct
{
  GString *out;          /* owned */
  guint depth;
  guint64 need_comma;    /* bit per depth */
  gboolean after_key;
  gboolean numeric_ids;  /* the `numeric-ids` quirk */
} SimJson;

void     sim_json_init         (SimJson    *j,
                                gboolean    numeric_ids);
void     sim_json_clear        (SimJson    *j);
char    *sim_json_steal        (SimJson    *j,
                                gsize      *length);
void     sim_json_begin_object (SimJson    *j);
void     sim_json_end_object   (SimJson    *j);
void     sim_json_begin_array  (SimJson    *j);
void     sim_json_end_array    (SimJson    *j);
void     sim_json_key          (SimJson    *j,
                                const char *key);
void     sim_json_string       (SimJson    *j,
                                const char *value);
void     sim_json_int          (SimJson    *j,
                                gint64      value);
void     sim_json_double       (SimJson    *j,
                                double      value);
void     sim_json_bool         (SimJson    *j,
                                gboolean    value);
void     sim_json_null         (SimJson    *j);
/* An entity id: a JSON string, or a number under `numeric-ids`; <= 0 is null. */
void     sim_json_id           (SimJson    *j,
                                gint64      id);
/* ISO 8601 with milliseconds and Z; <= 0 is null. */
void     sim_json_time         (SimJson    *j,
                                gint64      ms);
/* A value already serialized (e.g. a nested document). */
void     sim_json_raw          (SimJson    *j,
                                const char *raw);
void     sim_json_escape       (GString    *out,
                                const char *s);

#define sim_json_kstr(j, k, v)  (sim_json_key ((j), (k)), sim_json_string ((j), (v)))
#define sim_json_kint(j, k, v)  (sim_json_key ((j), (k)), sim_json_int ((j), (v)))
#define sim_json_kbool(j, k, v) (sim_json_key ((j), (k)), sim_json_bool ((j), (v)))
#define sim_json_knull(j, k)    (sim_json_key ((j), (k)), sim_json_null ((j)))
#define sim_json_kid(j, k, v)   (sim_json_key ((j), (k)), sim_json_id ((j), (v)))
#define sim_json_ktime(j, k, v) (sim_json_key ((j), (k)), sim_json_time ((j), (v)))
#define sim_json_kempty(j, k)   (sim_json_key ((j), (k)), sim_json_begin_array ((j)), sim_json_end_array ((j)))

char     *sim_format_time      (gint64      ms);
char     *sim_format_date      (gint64      ms);
gboolean  sim_parse_time       (const char *iso,
                                gint64     *ms);

/* ------------------------------------------------------------------ */
/* Request parameters from the query string and the body (form, multipart
 * or JSON), flattened the way Rails sees them: `types[]` → "types" (many
 * values), JSON `{"notifications": {"last_read_id": "1"}}` →
 * "notifications[last_read_id]". */

typedef struct
{
  char *filename;        /* owned */
  char *content_type;    /* owned */
  GBytes *data;          /* owned */
} SimFile;

typedef struct
{
  GPtrArray *keys;       /* owned: char * */
  GPtrArray *values;     /* owned: char * */
  GHashTable *files;     /* owned: name → SimFile */
} SimParams;

SimParams  *sim_params_new             (void);
void        sim_params_free            (SimParams  *p);
void        sim_params_add             (SimParams  *p,
                                        const char *key,
                                        const char *value);
void        sim_params_parse_urlencoded (SimParams *p,
                                        const char *data,
                                        gssize      length);
gboolean    sim_params_parse_json      (SimParams  *p,
                                        const char *data,
                                        gsize       length,
                                        GError    **error);
void        sim_params_parse_multipart (SimParams  *p,
                                        gpointer    soup_headers,
                                        GBytes     *body);
const char *sim_params_get             (SimParams  *p,
                                        const char *key);
/* Borrowed strings, in order. */
GPtrArray  *sim_params_get_all         (SimParams  *p,
                                        const char *key);
gboolean    sim_params_has             (SimParams  *p,
                                        const char *key);
SimFile    *sim_params_get_file        (SimParams  *p,
                                        const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimParams, sim_params_free)

/* ------------------------------------------------------------------ */
/* Accounts, kept in memory (a few hundred) and in sqlite. */

typedef struct
{
  gint64 id;
  char *username;        /* owned */
  char *display_name;    /* owned */
  char *note;            /* owned: plain text, rendered to HTML on output */
  char *email;           /* owned */
  gboolean department;
  gboolean bot;
  gint64 created_at;     /* ms, midnight */
  gint64 statuses_count;
  gint64 last_status_at; /* ms or 0 */
  guint hue;             /* avatar colour */
} SimAccount;

/* Visibility, as stored. */
typedef enum
{
  SIM_VIS_PUBLIC,
  SIM_VIS_UNLISTED,
  SIM_VIS_PRIVATE,
  SIM_VIS_DIRECT,
} SimVisibility;

const char *sim_visibility_to_string   (int         visibility);
int         sim_visibility_from_string (const char *s);

/* Notification types, stored as their index (bit in a type mask). */
extern const char * const sim_notification_types[];
int         sim_notification_type_from_string (const char *s);

typedef struct
{
  gint64 id;
  gint64 account_id;
  gint64 in_reply_to_id;
  gint64 in_reply_to_account_id;
  int visibility;
  gboolean sensitive;
  char *spoiler_text;    /* owned */
  char *language;        /* owned, nullable */
  char *text;            /* owned: plain source */
  gint64 created_at;     /* ms */
  gint64 app_id;         /* 0: the web interface */
  char *idempotency_key; /* owned, nullable */
  gboolean via_api;
  gint64 replies_count;
  char *media_ids;       /* owned: comma list, nullable */
} SimStatus;

void sim_status_clear (SimStatus *s);

typedef struct
{
  gint64 id;
  gint64 account_id;
  gint64 status_id;
  char *type;            /* owned: image, video, audio, unknown */
  char *mime;            /* owned */
  char *file;            /* owned: file name under DATA/media, or NULL when drawn */
  int scene;             /* drawn scene when file is NULL */
  char *description;     /* owned, nullable */
  double focus_x;
  double focus_y;
  int width;
  int height;
  char *blurhash;        /* owned, nullable */
  gint64 created_at;     /* ms */
  gint64 ready_at;       /* monotonic µs after which processing is done; 0 done */
} SimMedia;

void sim_media_clear (SimMedia *m);

/* ------------------------------------------------------------------ */
/* Status text → Mastodon HTML, mentions, hashtags and the counted length. */

typedef const SimAccount *(*SimLookupAccount) (const char *username,
                                               gpointer    user_data);

typedef struct
{
  GPtrArray *mentions;   /* borrowed SimAccount *, unique, in order */
  GPtrArray *tags;       /* owned char *, lowercase, unique */
  glong length;          /* characters as counted against max_characters */
} SimTextInfo;

void sim_text_info_clear (SimTextInfo *info);
/* Renders @text into @html (may be NULL) and fills @info (may be NULL).
 * @local_domain is what `@user@domain` must name to be a local mention. */
void sim_render_text     (const char       *text,
                          const char       *base_url,
                          const char       *local_domain,
                          SimLookupAccount  lookup,
                          gpointer          lookup_data,
                          GString          *html,
                          SimTextInfo      *info);
void sim_html_escape     (GString          *out,
                          const char       *s);

/* ------------------------------------------------------------------ */
/* Media drawing (cairo) and blurhash. */

typedef enum
{
  SIM_SCENE_STREETLAMP,
  SIM_SCENE_POTHOLE,
  SIM_SCENE_RUBBISH,
  SIM_SCENE_CAR,
  SIM_SCENE_TREE,
  SIM_SCENE_LEAK,
  SIM_SCENE_PLATE,
  SIM_SCENE_AVATAR,
  SIM_N_SCENES
} SimScene;

/* PNG bytes of a drawn scene; @variant changes colours and placement. */
GBytes   *sim_media_draw_png   (int         scene,
                                guint       variant,
                                int         width,
                                int         height,
                                const char *label);
char     *sim_media_blurhash   (int         scene,
                                guint       variant);
/* Width and height of a PNG, JPEG or GIF; FALSE when unknown. */
gboolean  sim_media_probe_size (GBytes     *data,
                                int        *width,
                                int        *height);

/* ------------------------------------------------------------------ */
/* The Jun data set. */

typedef struct _SimGen SimGen;

typedef struct
{
  const char *username;
  const char *display_name;
  const char *note;
  guint hue;
} SimDepartment;

extern const SimDepartment sim_departments[];
extern const guint sim_n_departments;

typedef struct
{
  char *text;            /* owned */
  int visibility;
  int scene;             /* -1 without a photo */
  char *alt;             /* owned, nullable */
  guint department;      /* index into sim_departments */
  guint second;          /* second department mentioned, or G_MAXUINT */
} SimMentionText;

void      sim_mention_text_clear (SimMentionText *m);

SimGen   *sim_gen_new            (guint64         seed);
void      sim_gen_free           (SimGen         *gen);
GRand    *sim_gen_rand           (SimGen         *gen);
/* A citizen: username, display name; deterministic from the generator. */
void      sim_gen_citizen        (SimGen         *gen,
                                  guint           index,
                                  char          **username,
                                  char          **display_name);
/* A citizen's mention of @department (G_MAXUINT: any), text without the
 * leading mentions (the caller prefixes them). */
void      sim_gen_mention        (SimGen         *gen,
                                  guint           department,
                                  const char     *author,
                                  gboolean        with_place,
                                  SimMentionText *out);
/* A department's answer to @citizen (text includes the @mention). */
char     *sim_gen_reply          (SimGen         *gen,
                                  guint           department,
                                  const char     *citizen);
/* A citizen's follow-up to a department's answer (without the mention). */
char     *sim_gen_follow_up      (SimGen         *gen,
                                  guint           department);
/* The canteen's menu of the day. */
char     *sim_gen_menu           (SimGen         *gen);
/* A place appended to a text, in one of the three written forms. */
char     *sim_gen_place          (SimGen         *gen,
                                  double          lat,
                                  double          lon);
void      sim_gen_point          (SimGen         *gen,
                                  double         *lat,
                                  double         *lon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimGen, sim_gen_free)

/* ------------------------------------------------------------------ */
/* The world: one sqlite connection (WAL, cached statements), the account
 * cache, id generation and the virtual clock. */

typedef struct
{
  gint64 id;
  char *name;            /* owned */
  char *website;         /* owned, nullable */
  char *redirect_uris;   /* owned: space separated */
  char *scopes;          /* owned: space separated */
  char *client_id;       /* owned */
  char *client_secret;   /* owned */
  gint64 created_at;     /* ms */
} SimApp;

typedef struct
{
  gint64 id;
  gint64 app_id;
  gint64 account_id;     /* 0 for an app token (client_credentials) */
  char *scopes;          /* owned */
  gint64 created_at;     /* seconds */
  gboolean revoked;
} SimToken;

void sim_token_clear (SimToken *t);

typedef struct
{
  gint64 id;
  int type;
  gint64 created_at;
  gint64 account_id;     /* recipient */
  gint64 from_account_id;
  gint64 status_id;
  gboolean filtered;
} SimNotification;

/* Events the world queues during a transaction and hands to the server
 * after commit, to be pushed to open streams. */
typedef enum
{
  SIM_EVENT_NOTIFICATION,
  SIM_EVENT_STATUS,
  SIM_EVENT_DELETE,
} SimEventKind;

typedef void (*SimEventFunc) (SimEventKind kind,
                              gint64       id,
                              gint64       account_id,
                              gpointer     user_data);

typedef struct _SimWorld SimWorld;

struct _SimWorld
{
  sqlite3 *db;                 /* owned */
  GHashTable *stmts;           /* owned: SQL literal → sqlite3_stmt */
  char *data_dir;              /* owned */
  char *base_url;              /* owned: http://127.0.0.1:PORT */
  char *domain;                /* owned: 127.0.0.1:PORT */
  char *streaming_url;         /* owned: ws://127.0.0.1:PORT */
  gint64 now_base_ms;
  gint64 mono_start;
  gint64 last_id;              /* last snowflake handed out */
  guint seq;
  GPtrArray *accounts;         /* owned: SimAccount * */
  GHashTable *by_id;           /* gint64 * → SimAccount * (borrowed) */
  GHashTable *by_name;         /* username → SimAccount * (borrowed) */
  GHashTable *by_email;        /* email → SimAccount * (borrowed) */
  GHashTable *apps;            /* gint64 * → SimApp * (owned) */
  GArray *departments;         /* gint64 account ids */
  GArray *citizens;            /* gint64 account ids */
  GArray *pending;             /* events queued until commit */
  guint tx_depth;
  SimEventFunc event_func;
  gpointer event_data;
  /* quirks that change entities */
  gboolean acct_with_domain;
  gboolean numeric_ids;
};

SimWorld         *sim_world_open            (const char     *data_dir,
                                             gint64          now_ms,
                                             GError        **error);
void              sim_world_free            (SimWorld       *world);
void              sim_world_set_urls        (SimWorld       *world,
                                             const char     *base_url);
gint64            sim_world_now_ms          (SimWorld       *world);
gint64            sim_world_next_id         (SimWorld       *world,
                                             gint64          ms);
sqlite3_stmt     *sim_world_prepare         (SimWorld       *world,
                                             const char     *sql);
void              sim_world_exec            (SimWorld       *world,
                                             const char     *sql);
void              sim_world_begin           (SimWorld       *world);
void              sim_world_commit          (SimWorld       *world);
char             *sim_world_get_meta        (SimWorld       *world,
                                             const char     *key);
void              sim_world_set_meta        (SimWorld       *world,
                                             const char     *key,
                                             const char     *value);

SimAccount       *sim_world_add_account     (SimWorld       *world,
                                             const char     *username,
                                             const char     *display_name,
                                             const char     *note,
                                             const char     *email,
                                             gboolean        department,
                                             gint64          created_at,
                                             guint           hue);
const SimAccount *sim_world_account         (SimWorld       *world,
                                             gint64          id);
const SimAccount *sim_world_account_by_name (SimWorld       *world,
                                             const char     *username);
const SimAccount *sim_world_account_by_login (SimWorld      *world,
                                             const char     *login);
const SimAccount *sim_world_lookup_cb       (const char     *username,
                                             gpointer        world);

SimApp           *sim_world_add_app         (SimWorld       *world,
                                             const char     *name,
                                             const char     *website,
                                             const char     *redirect_uris,
                                             const char     *scopes);
const SimApp     *sim_world_app             (SimWorld       *world,
                                             gint64          id);
const SimApp     *sim_world_app_by_client   (SimWorld       *world,
                                             const char     *client_id);

char             *sim_world_add_token       (SimWorld       *world,
                                             gint64          app_id,
                                             gint64          account_id,
                                             const char     *scopes,
                                             gint64         *created_at);
gboolean          sim_world_find_token      (SimWorld       *world,
                                             const char     *token,
                                             SimToken       *out);
gboolean          sim_world_revoke_token    (SimWorld       *world,
                                             const char     *token,
                                             gint64          app_id);
/* The first live token of @account_id issued to @app_id, or a new one. */
char             *sim_world_ensure_token    (SimWorld       *world,
                                             gint64          app_id,
                                             gint64          account_id,
                                             const char     *scopes);

typedef struct
{
  gint64 account_id;
  const char *text;
  gint64 in_reply_to_id;
  int visibility;
  const char *spoiler_text;
  gboolean sensitive;
  const char *language;
  gint64 app_id;
  const char *idempotency_key;
  gboolean via_api;
  gint64 created_at;           /* ms; 0: now */
  GArray *media_ids;           /* gint64, nullable */
} SimPost;

/* Inserts a status, its mentions and their notifications. Returns the
 * status id; @notifications (nullable) receives the notification ids. */
gint64    sim_world_post            (SimWorld        *world,
                                     const SimPost   *post,
                                     GArray          *notifications);
gboolean  sim_world_get_status      (SimWorld        *world,
                                     gint64           id,
                                     SimStatus       *out);
gboolean  sim_world_status_visible  (SimWorld        *world,
                                     const SimStatus *status,
                                     gint64           viewer_id);
gboolean  sim_world_get_notification (SimWorld       *world,
                                     gint64           id,
                                     SimNotification *out);
gint64    sim_world_add_media       (SimWorld        *world,
                                     const SimMedia  *media);
gboolean  sim_world_get_media       (SimWorld        *world,
                                     gint64           id,
                                     SimMedia        *out);

/* ------------------------------------------------------------------ */
/* Entities as JSON. */

void sim_write_account      (SimJson               *j,
                             SimWorld              *world,
                             const SimAccount      *account,
                             gboolean               credentials);
void sim_write_status       (SimJson               *j,
                             SimWorld              *world,
                             const SimStatus       *status,
                             gint64                 viewer_id);
void sim_write_status_full  (SimJson               *j,
                             SimWorld              *world,
                             const SimStatus       *status,
                             gint64                 viewer_id,
                             gboolean               source_text);
void sim_write_notification (SimJson               *j,
                             SimWorld              *world,
                             const SimNotification *notification,
                             gint64                 viewer_id);
void sim_write_media        (SimJson               *j,
                             SimWorld              *world,
                             const SimMedia        *media,
                             gboolean               processing);
void sim_write_instance     (SimJson               *j,
                             SimWorld              *world,
                             int                    version,
                             gboolean               streaming);
char *sim_media_url         (SimWorld              *world,
                             const SimMedia        *media,
                             const char            *style);

/* ------------------------------------------------------------------ */
/* Seeding the Jun data set. */

typedef struct
{
  guint64 seed;
  gint64 now_ms;
  guint citizens;
  guint mentions;
  guint days;
} SimSeedOptions;

void   sim_seed_world        (SimWorld             *world,
                              const SimSeedOptions *options);
/* A drawn photo for @account_id, with its blurhash; returns its id. */
gint64 sim_seed_add_photo    (SimWorld             *world,
                              gint64                account_id,
                              int                   scene,
                              const char           *alt,
                              gint64                created_at);
/* One generated citizen mention now (live mode and /_sim/mentions). */
gint64 sim_seed_live_mention (SimWorld             *world,
                              SimGen               *gen,
                              const char           *to,
                              GArray               *notifications);

G_END_DECLS
