// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace codalab::fuzz {

/// A failed property: says which and aborts, so that libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "fuzz property failed: %s\n%s\n", what, qPrintable(detail));
    std::fflush(stderr);
    std::abort();
}

inline void check(bool condition, const char *what, const QString &detail = {})
{
    if (!condition) {
        fail(what, detail);
    }
}

/// The QCoreApplication some core code expects (qApp, the thread pool, QStandardPaths), made once per
/// process. Qt's messages are dropped: a parser warning about bad input is the expected outcome here, and
/// millions of them would drown libFuzzer's own output. qFatal still aborts.
inline void ensureApp()
{
    static QCoreApplication *app = [] {
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
            if (type == QtFatalMsg) {
                std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
                std::abort();
            }
        });
        static int argc = 1;
        static char name[] = "fuzz";
        static char *argv[] = { name, nullptr };
        return new QCoreApplication(argc, argv);
    }();
    Q_UNUSED(app);
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace codalab::fuzz
