// SPDX-License-Identifier: GPL-3.0-or-later
// The tests' main, with the Qt application created first so QObjects, timers and QSignalSpy work; Catch2
// itself is compiled once, in support/catchimpl.cpp.
#include "support/catchrunner.h"

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
    return codalab::test::runCatch(argc, argv);
}
