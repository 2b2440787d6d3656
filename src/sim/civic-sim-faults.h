/* civic-sim-faults.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-sim-private.h"

G_BEGIN_DECLS

typedef enum
{
  SIM_FAULT_OK,
  SIM_FAULT_500,
  SIM_FAULT_502,
  SIM_FAULT_503,
  SIM_FAULT_429,
  SIM_FAULT_409,
  SIM_FAULT_HANG,
  SIM_FAULT_RESET,
  SIM_FAULT_TRUNCATE,
  SIM_FAULT_MALFORMED,
  SIM_FAULT_DROP,
  SIM_FAULT_500_AFTER,
  SIM_FAULT_RESET_AFTER,
} SimFault;

typedef struct _SimFaults SimFaults;

SimFaults  *sim_faults_parse    (const char         *spec,
                                 GError            **error);
void        sim_faults_free     (SimFaults          *faults);
const char *sim_faults_get_spec (SimFaults          *faults);
/* The action for the next request that belongs to @request_endpoints (a
 * NULL-terminated list, most specific first, ending with "*"). */
SimFault    sim_faults_next     (SimFaults          *faults,
                                 const char * const *request_endpoints,
                                 GRand              *rand);
const char *sim_fault_name      (SimFault            fault);
void        sim_faults_describe (SimFaults          *faults,
                                 SimJson            *j);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimFaults, sim_faults_free)

G_END_DECLS
