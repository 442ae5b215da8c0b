# SPDX-License-Identifier: GPL-3.0-or-later
# Sources of ui/logs.
target_sources(codalab_ui PRIVATE
)
