# SPDX-License-Identifier: GPL-3.0-or-later
# ui/shell: the main window, profiles, settings and start-up. codalab_ui_shell needs no page;
# codalab_ui_desktop (DesktopApp) wires every folder together.
codalab_add_ui_library(codalab_ui_shell SOURCES
    shell/autostartfile.cpp
    shell/desktopoptions.cpp
    shell/mainwindow.cpp
    shell/profilelistmodel.cpp
    shell/profilesdialog.cpp
    shell/serversession.cpp
    shell/settingsdialog.cpp
    shell/singleinstance.cpp
    shell/workerlauncher.cpp
    shell/workerservice.cpp
    shell/workersupervisor.cpp
)
codalab_add_ui_library(codalab_ui_desktop SOURCES
    shell/desktopapp.cpp
    LIBRARIES codalab_ui_shell codalab_ui_dashboard codalab_ui_machine codalab_ui_logs codalab_ui_submit
        codalab_ui_tray codalab_ui_myruns codalab_ui_bundles codalab_ui_cluster
)
