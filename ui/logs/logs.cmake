# SPDX-License-Identifier: GPL-3.0-or-later
# ui/logs.
codalab_add_ui_library(codalab_ui_logs SOURCES
)
