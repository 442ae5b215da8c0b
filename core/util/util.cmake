# SPDX-License-Identifier: GPL-3.0-or-later
# core/util sources (sizes, durations, uuids, safe archive extraction)
