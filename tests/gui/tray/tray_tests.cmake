# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/tray: TrayState and Notifier on status JSON, the icons, and TrayController against a real
# codalab-worker (GPUs from tests/system/fake-nvidia-smi).
codalab_add_gui_test(test_gui_tray DOCKER WORKER SOURCES
    gui/tray/test_traystate.cpp
    gui/tray/test_notifier.cpp
    gui/tray/test_trayicons.cpp
    gui/tray/test_traycontroller.cpp
    LIBRARIES codalab_ui_tray)
target_compile_definitions(test_gui_tray PRIVATE FAKE_NVIDIA_SMI="${CMAKE_CURRENT_SOURCE_DIR}/system/fake-nvidia-smi")
# Notifications on a private session bus (with-keyring.sh starts one), with a fake notification daemon.
set(codalab_saved_emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_SOURCE_DIR}/secrets/with-keyring.sh)
codalab_add_gui_test(test_gui_notifications SOURCES
    gui/tray/test_notificationsender.cpp
    LIBRARIES codalab_ui_tray)
set(CMAKE_CROSSCOMPILING_EMULATOR "${codalab_saved_emulator}")
unset(codalab_saved_emulator)
