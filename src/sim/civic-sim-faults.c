/* civic-sim-faults.c
 *
 * Fault injection rules, as given to --faults or PUT /_sim/faults.
 *
 * SPEC    = RULE { ";" RULE }
 * RULE    = ENDPOINT "=" ACTION { "," ACTION }
 * ENDPOINT= notifications | statuses | post | context | media | instance
 *         | oauth | accounts | markers | timelines | streaming | *
 * ACTION  = NAME [ ":" PROBABILITY ]
 * NAME    = ok | 500 | 502 | 503 | 429 | 409 | hang | reset | truncate
 *         | malformed | drop | 500-after | reset-after
 *
 * Plain actions are a script: the Nth matching request gets the Nth action,
 * then `ok` forever (`notifications=500,429,ok,truncate`). With
 * probabilities the rule is random per request, drawn from the seeded RNG
 * (`notifications=500:0.2,hang:0.05;post=reset:0.1`). A request follows the
 * most specific rule that matches it: post and context before statuses,
 * any named endpoint before `*`.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "civic-sim-faults.h"

static const char * const fault_names[] = {
  [SIM_FAULT_OK] = "ok",
  [SIM_FAULT_500] = "500",
  [SIM_FAULT_502] = "502",
  [SIM_FAULT_503] = "503",
  [SIM_FAULT_429] = "429",
  [SIM_FAULT_409] = "409",
  [SIM_FAULT_HANG] = "hang",
  [SIM_FAULT_RESET] = "reset",
  [SIM_FAULT_TRUNCATE] = "truncate",
  [SIM_FAULT_MALFORMED] = "malformed",
  [SIM_FAULT_DROP] = "drop",
  [SIM_FAULT_500_AFTER] = "500-after",
  [SIM_FAULT_RESET_AFTER] = "reset-after",
};

static const char * const endpoints[] = {
  "notifications", "statuses", "post", "context", "media", "instance", "oauth",
  "accounts", "markers", "timelines", "streaming", "*", NULL
};

typedef struct
{
  char *endpoint;
  GArray *actions;       /* SimFault */
  GArray *probabilities; /* double; empty for a script */
  guint position;        /* next step of a script */
  guint hits;
} Rule;

struct _SimFaults
{
  GPtrArray *rules;      /* owned: Rule * */
  char *spec;
};

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  g_free (rule->endpoint);
  g_array_unref (rule->actions);
  g_array_unref (rule->probabilities);
  g_free (rule);
}

const char *
sim_fault_name (SimFault fault)
{
  return fault_names[fault];
}

static gboolean
fault_from_name (const char *name,
                 SimFault   *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_str_equal (fault_names[i], name))
      {
        *out = (SimFault) i;
        return TRUE;
      }
  return FALSE;
}

SimFaults *
sim_faults_parse (const char  *spec,
                  GError     **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (rule_free);
  g_auto(GStrv) parts = NULL;
  SimFaults *faults;

  parts = g_strsplit (spec != NULL ? spec : "", ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      g_auto(GStrv) actions = NULL;
      char *eq;
      Rule *rule;
      gboolean random = FALSE;

      if (*part == '\0')
        continue;
      eq = strchr (part, '=');
      if (eq == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault rule “%s” has no “=”: write ENDPOINT=ACTIONS", part);
          return NULL;
        }
      *eq = '\0';
      g_strstrip (part);
      if (!g_strv_contains (endpoints, part))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown fault endpoint “%s” (one of notifications, statuses, post, "
                       "context, media, instance, oauth, accounts, markers, timelines, "
                       "streaming, *)", part);
          return NULL;
        }

      rule = g_new0 (Rule, 1);
      rule->endpoint = g_strdup (part);
      rule->actions = g_array_new (FALSE, FALSE, sizeof (SimFault));
      rule->probabilities = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (rules, rule);

      actions = g_strsplit (eq + 1, ",", -1);
      for (guint k = 0; actions[k] != NULL; k++)
        random |= strchr (actions[k], ':') != NULL;
      for (guint k = 0; actions[k] != NULL; k++)
        {
          g_autofree char *action = g_strstrip (g_strdup (actions[k]));
          char *colon = strchr (action, ':');
          double p = 0;
          SimFault fault;

          if (*action == '\0')
            continue;
          if (colon != NULL)
            {
              char *end = NULL;

              *colon = '\0';
              p = g_ascii_strtod (colon + 1, &end);
              if (end == colon + 1 || *end != '\0' || p < 0 || p > 1)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Probability “%s” of fault “%s” is not a number from 0 to 1",
                               colon + 1, action);
                  return NULL;
                }
            }
          if (!fault_from_name (action, &fault))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Unknown fault action “%s” (one of ok, 500, 502, 503, 429, 409, "
                           "hang, reset, truncate, malformed, drop, 500-after, reset-after)",
                           action);
              return NULL;
            }
          /* In a random rule, a plain action is simply the rest: ignore it. */
          if (random && colon == NULL)
            continue;
          g_array_append_val (rule->actions, fault);
          if (random)
            g_array_append_val (rule->probabilities, p);
        }
    }

  faults = g_new0 (SimFaults, 1);
  faults->rules = g_steal_pointer (&rules);
  faults->spec = g_strdup (spec != NULL ? spec : "");
  return faults;
}

void
sim_faults_free (SimFaults *faults)
{
  if (faults == NULL)
    return;
  g_ptr_array_unref (faults->rules);
  g_free (faults->spec);
  g_free (faults);
}

const char *
sim_faults_get_spec (SimFaults *faults)
{
  return faults != NULL ? faults->spec : "";
}

SimFault
sim_faults_next (SimFaults          *faults,
                 const char * const *request_endpoints,
                 GRand              *rand)
{
  Rule *rule = NULL;

  if (faults == NULL)
    return SIM_FAULT_OK;

  for (guint e = 0; request_endpoints[e] != NULL && rule == NULL; e++)
    for (guint i = 0; i < faults->rules->len && rule == NULL; i++)
      {
        Rule *candidate = g_ptr_array_index (faults->rules, i);

        if (g_str_equal (candidate->endpoint, request_endpoints[e]))
          rule = candidate;
      }
  if (rule == NULL)
    return SIM_FAULT_OK;

  rule->hits++;
  if (rule->probabilities->len > 0)
    {
      double u = g_rand_double (rand);
      double sum = 0;

      for (guint i = 0; i < rule->actions->len; i++)
        {
          sum += g_array_index (rule->probabilities, double, i);
          if (u < sum)
            return g_array_index (rule->actions, SimFault, i);
        }
      return SIM_FAULT_OK;
    }

  if (rule->position < rule->actions->len)
    return g_array_index (rule->actions, SimFault, rule->position++);
  return SIM_FAULT_OK;
}

void
sim_faults_describe (SimFaults *faults,
                     SimJson   *j)
{
  sim_json_begin_object (j);
  sim_json_kstr (j, "spec", sim_faults_get_spec (faults));
  sim_json_key (j, "rules");
  sim_json_begin_array (j);
  for (guint i = 0; faults != NULL && i < faults->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (faults->rules, i);
      gboolean random = rule->probabilities->len > 0;

      sim_json_begin_object (j);
      sim_json_kstr (j, "endpoint", rule->endpoint);
      sim_json_kstr (j, "mode", random ? "random" : "script");
      sim_json_key (j, "actions");
      sim_json_begin_array (j);
      for (guint k = 0; k < rule->actions->len; k++)
        {
          SimFault fault = g_array_index (rule->actions, SimFault, k);

          if (random)
            {
              sim_json_begin_object (j);
              sim_json_kstr (j, "action", fault_names[fault]);
              sim_json_key (j, "probability");
              sim_json_double (j, g_array_index (rule->probabilities, double, k));
              sim_json_end_object (j);
            }
          else
            sim_json_string (j, fault_names[fault]);
        }
      sim_json_end_array (j);
      if (!random)
        sim_json_kint (j, "position", rule->position);
      sim_json_kint (j, "hits", rule->hits);
      sim_json_end_object (j);
    }
  sim_json_end_array (j);
  sim_json_end_object (j);
}
