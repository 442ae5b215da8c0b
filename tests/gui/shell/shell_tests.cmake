# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of ui/shell. They run inside with-keyring.sh (a private session bus and an unlocked GNOME Keyring
# in a temporary HOME), so profiles' passwords reach a real keyring and nothing touches the developer's.
set(codalab_saved_emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_SOURCE_DIR}/secrets/with-keyring.sh)
codalab_add_gui_test(test_gui_shell DOCKER WORKER SOURCES
    gui/shell/test_shell_parts.cpp
    gui/shell/test_shell_dialogs.cpp
    LIBRARIES codalab_ui_shell)
target_compile_definitions(test_gui_shell PRIVATE FAKE_SYSTEMCTL="${CMAKE_CURRENT_SOURCE_DIR}/gui/shell/fake-systemctl")
# The whole application: every page, a real worker and its local server.
codalab_add_gui_test(test_gui_desktop DOCKER WORKER SOURCES
    gui/shell/test_desktop_app.cpp
    gui/shell/test_mainwindow.cpp
    LIBRARIES codalab_ui_desktop)
target_compile_definitions(test_gui_desktop PRIVATE FAKE_SYSTEMCTL="${CMAKE_CURRENT_SOURCE_DIR}/gui/shell/fake-systemctl")
set(CMAKE_CROSSCOMPILING_EMULATOR "${codalab_saved_emulator}")
unset(codalab_saved_emulator)
