// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

namespace codalab::ui {

/// One codalab-desktop per user: the first launch listens on a local socket; a later launch hands its
/// command line (e.g. {"--show"}) to the first and quits, so the window the user already has comes up.
///
/// Usage: start(arguments) from the event loop; it ends in exactly one of primary() (this process is the
/// instance: keep going) or forwarded() (another instance took the arguments: quit). The primary emits
/// messageReceived() for every later launch. A stale socket left by a crash is replaced.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    /// `socketPath`: defaultSocketPath() in the application, a temporary path in tests.
    explicit SingleInstance(const QString &socketPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    /// $XDG_RUNTIME_DIR/codalab/desktop.sock (or ~/.local/state/CodaLab/desktop.sock).
    static QString defaultSocketPath();

    void start(const QStringList &arguments);
    bool isPrimary() const { return m_server != nullptr; }

Q_SIGNALS:
    void primary();
    void forwarded();
    void messageReceived(const QStringList &arguments);
    /// Neither: no other instance answers and this one cannot listen either (it then runs on its own).
    void failed(const QString &message);

private:
    void becomePrimary();
    void onNewConnection();

    QString m_path;
    QLocalServer *m_server = nullptr;
    QLocalSocket *m_probe = nullptr;
};

} // namespace codalab::ui
