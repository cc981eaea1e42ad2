/* SPDX-License-Identifier: MIT */
/* The receipt hook of installation projects (WF-01 T9 → WF-02, R-049). */
#include "app/shipments.h"

enum sh_code shipment_on_received(const struct uc *u, int64_t shipment_id, struct sh_err *e)
{
    /* The installation-project use case is wired here after merging (issue 12 item 2): for
     * now the shipment's timeline notes that its contract includes installation. */
    return shipment_log(u, shipment_id, "installation_due", "", "", "", e);
}
