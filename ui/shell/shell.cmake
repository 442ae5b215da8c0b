# SPDX-License-Identifier: GPL-3.0-or-later
# ui/shell: the main window, profiles, settings and start-up; it wires every other folder together.
codalab_add_ui_library(codalab_ui_shell SOURCES
    shell/mainwindow.cpp
    LIBRARIES codalab_ui_dashboard codalab_ui_machine codalab_ui_logs codalab_ui_submit codalab_ui_tray
        codalab_ui_myruns
)
