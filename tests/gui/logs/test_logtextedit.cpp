// SPDX-License-Identifier: GPL-3.0-or-later
// LogTextEdit replacing a shown window, as a tail does each time the file grows by more than a window: the
// old text stays until the new one goes in, a slice per turn, and the old document is freed in a later turn.
#include "logs/logtextedit.h"
#include "support/spinuntil.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSignalSpy>
#include <QTextDocument>

#include <catch2/catch.hpp>

using namespace codalab;
using test::spinUntil;
using ui::LogTextEdit;

namespace {

QByteArray numbered(const QByteArray &prefix, int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        out += prefix + QByteArray::number(i) + " loss=0.4187 acc=0.8812 lr=0.001\n";
    }
    return out;
}

} // namespace

TEST_CASE("a new window replaces the shown one without clearing it first", "[gui][logs][text]")
{
    LogTextEdit edit;
    edit.resize(800, 400);
    edit.show();
    const QByteArray first = numbered("first ", 20000);
    edit.showBytes(0, first, true, true);
    // Nothing was shown: the text goes in at once (the first slices), the rest in later turns.
    CHECK_FALSE(edit.toPlainText().isEmpty());
    REQUIRE(spinUntil([&] { return !edit.isBusy(); }, 30000));
    CHECK(edit.toPlainText().toUtf8() == first);
    QPointer<QTextDocument> oldDocument = edit.document();

    const QByteArray second = numbered("second ", 30000);
    const qint64 offset = 50 * 1024 * 1024;
    QSignalSpy settled(&edit, &LogTextEdit::settled);
    edit.showBytes(offset, second, true, true);
    // The bytes are the new window's at once; the screen still shows the old text, not an empty frame.
    CHECK(edit.window().start() > offset); // the partial first line of a window mid-file is dropped
    CHECK(edit.isBusy());
    CHECK(edit.toPlainText().startsWith(QLatin1String("first 0 ")));
    REQUIRE(spinUntil([&] { return !settled.isEmpty(); }, 30000));
    const QString text = edit.toPlainText();
    CHECK(text.startsWith(QLatin1String("second 1 ")));
    CHECK(text.endsWith(QLatin1String("second 29999 loss=0.4187 acc=0.8812 lr=0.001\n")));
    CHECK_FALSE(text.contains(QLatin1String("first ")));
    CHECK(edit.document() != oldDocument.data());
    // The old document goes in a turn of its own.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    CHECK(oldDocument.isNull());
    // The fresh document keeps what the edit set on the first one.
    CHECK_FALSE(edit.document()->isUndoRedoEnabled());
    CHECK(edit.document()->maximumBlockCount() == 4 * LogTextEdit::MaxLines);
    CHECK(edit.document()->defaultFont().family() == edit.font().family());
}
