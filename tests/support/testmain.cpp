// SPDX-License-Identifier: GPL-3.0-or-later
// Catch2's main, with the Qt application created first so QObjects, timers and QSignalSpy work.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#ifdef CODALAB_TEST_WIDGETS
#include <QApplication>
using TestApplication = QApplication;
#else
#include <QCoreApplication>
using TestApplication = QCoreApplication;
#endif

int main(int argc, char *argv[])
{
    // Widget tests run offscreen unless told otherwise; ctest's test discovery runs this main too,
    // without the environment the tests themselves get.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    TestApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
