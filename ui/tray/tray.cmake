# SPDX-License-Identifier: GPL-3.0-or-later
# ui/tray.
codalab_add_ui_library(codalab_ui_tray SOURCES
)
