# SPDX-License-Identifier: GPL-3.0-or-later
# The files the Debian package installs around the executables: man pages that document every flag and that
# man renders without a warning, and the desktop entry, icons, AppStream metainfo and systemd user unit as
# their validators see them. (The package itself is built, linted, installed and smoke-tested by
# scripts/package-check.sh, which needs root.)
add_test(NAME installer-manpages
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/installer/check-manpages.sh $<TARGET_FILE_DIR:codalab-worker>
            ${PROJECT_SOURCE_DIR}/installer/man)
add_test(NAME installer-desktop-integration
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/installer/check-desktop-integration.sh ${PROJECT_SOURCE_DIR}
            ${PROJECT_BINARY_DIR} $<TARGET_FILE:codalab-worker> $<TARGET_FILE:codalab-worker-manager>)
set_tests_properties(installer-manpages installer-desktop-integration PROPERTIES LABELS unit SKIP_RETURN_CODE 77)
