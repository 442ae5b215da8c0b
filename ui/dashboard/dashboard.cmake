# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/dashboard.
target_sources(codalab_ui PRIVATE
)
