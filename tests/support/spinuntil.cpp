// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/spinuntil.h"

#include <QEventLoop>
#include <QTimer>

namespace codalab::test {

bool spinUntil(const std::function<bool()> &condition, int timeoutMs, int stepMs)
{
    if (condition()) {
        return true;
    }
    QEventLoop loop;
    QTimer poll;
    bool met = false;
    bool checking = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (checking) {
            return;
        }
        checking = true;
        met = condition();
        checking = false;
        if (met) {
            loop.quit();
        }
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(stepMs);
    loop.exec();
    return met;
}

} // namespace codalab::test
