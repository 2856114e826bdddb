#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT traversal over IPv6: natt.sh through a NAT66 router (see there).
NATT_FAMILY=6 exec "$(dirname "$0")/natt.sh"
