# SPDX-License-Identifier: GPL-3.0-or-later
# ui/tray: the tray icon (icons from resources/icons/tray), its menu and the notifications.
codalab_add_ui_library(codalab_ui_tray SOURCES
    tray/notificationburst.cpp
    tray/notifier.cpp
    tray/notificationsender.cpp
    tray/traycontroller.cpp
    tray/trayicons.cpp
    tray/traymenu.cpp
    tray/traystate.cpp
)
