# SPDX-License-Identifier: GPL-2.0-only
"""Implementation of tools/sbm/sbm, one module per job."""
