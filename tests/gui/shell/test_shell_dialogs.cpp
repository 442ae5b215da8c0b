// SPDX-License-Identifier: GPL-3.0-or-later
// The settings and profiles dialogs driven with QTest events: what they save, what they refuse, and the
// password reaching a real keyring.
#include "common/desktopsettings.h"
#include "secrets/profilestore.h"
#include "secrets/secretstore.h"
#include "shell/autostartfile.h"
#include "shell/profilelistmodel.h"
#include "shell/profilesdialog.h"
#include "shell/settingsdialog.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::findButton;
using codalab::test::spinUntil;

namespace {

QJsonObject statusWithTwoGpus()
{
    const auto gpu = [](int index, const char *uuid) {
        return QJsonObject { { QStringLiteral("index"), index },
            { QStringLiteral("uuid"), QLatin1String(uuid) },
            { QStringLiteral("name"), QStringLiteral("NVIDIA A100-SXM4-40GB") },
            { QStringLiteral("memory_total_mib"), 40960 } };
    };
    return { { QStringLiteral("cpuset"), QJsonArray { 0, 1, 2, 3 } },
        { QStringLiteral("machine"),
            QJsonObject {
                { QStringLiteral("gpus"), QJsonArray { gpu(0, "GPU-aaa"), gpu(1, "GPU-bbb") } } } } };
}

/// The line edit whose form label (buddy) reads `label`.
QLineEdit *field(QWidget *dialog, const QString &label)
{
    for (QLabel *l : dialog->findChildren<QLabel *>()) {
        QString t = l->text();
        t.remove(QLatin1Char('&'));
        if (t == label && qobject_cast<QLineEdit *>(l->buddy())) {
            return qobject_cast<QLineEdit *>(l->buddy());
        }
    }
    FAIL("no field " << label.toStdString());
    return nullptr;
}

} // namespace

TEST_CASE("settings refuse a bad CPU set or size where it is, and save good ones", "[gui][shell][settings]")
{
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    ui::AutostartFile autostart(
        QStringLiteral("/usr/bin/codalab-desktop"), dir.filePath(QStringLiteral("config")));
    QJsonObject status = statusWithTwoGpus();
    // The worker's own caps, as its status reports them: the empty fields say these, never "no cap" for
    // a worker that caps its dependency cache.
    status.insert(QStringLiteral("caches"),
        QJsonObject { { QStringLiteral("dependencies_max_bytes"), 10.0 * 1024 * 1024 * 1024 },
            { QStringLiteral("images_max_bytes"), QJsonValue() } });
    ui::SettingsDialog dialog(&settings, &autostart, status);
    CHECK(dialog.findChildren<QLineEdit *>().size() > 0);
    bool sawDepCap = false;
    for (QLineEdit *e : dialog.findChildren<QLineEdit *>()) {
        if (e->placeholderText().startsWith(QLatin1String("the worker's default: 10 GiB"))) {
            sawDepCap = true;
        }
        CHECK_FALSE(e->placeholderText().startsWith(QLatin1String("no cap (e.g. 50g)")));
    }
    CHECK(sawDepCap);
    // Whether the desktop starts a worker of its own is a setting, not only a line in the file.
    auto *manage = dialog.findChild<QCheckBox *>(QStringLiteral("manageWorker"));
    REQUIRE(manage);
    CHECK(manage->isChecked() == settings.manageWorker());
    dialog.resize(560, 640);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    QLineEdit *cpuset = field(&dialog, QStringLiteral("CPU set:"));
    QLineEdit *cap = field(&dialog, QStringLiteral("Dependency cache cap:"));
    QTest::keyClicks(cpuset, QStringLiteral("0-9"));
    QTest::keyClicks(cap, QStringLiteral("lots"));
    QTest::keyClick(&dialog, Qt::Key_Return);
    CHECK(dialog.isVisible());
    CHECK(dialog.result() != QDialog::Accepted);
    CHECK_FALSE(cpuset->toolTip().isEmpty());
    CHECK_FALSE(cap->toolTip().isEmpty());
    CHECK(settings.workerCpuset().isEmpty()); // nothing saved
    test::saveScreenshot(&dialog, QStringLiteral("settings-invalid.png"));

    cpuset->clear();
    QTest::keyClicks(cpuset, QStringLiteral("0-1"));
    cap->clear();
    QTest::keyClicks(cap, QStringLiteral("50g"));
    auto *slotsBox = dialog.findChild<QSpinBox *>();
    slotsBox->setValue(2);
    const QList<QCheckBox *> boxes = dialog.findChildren<QCheckBox *>();
    QCheckBox *secondGpu = nullptr;
    QCheckBox *atLogin = nullptr;
    QCheckBox *monochrome = nullptr;
    for (QCheckBox *b : boxes) {
        if (b->text().startsWith(QLatin1String("GPU 1:"))) {
            secondGpu = b;
        } else if (b->text().contains(QLatin1String("when I log in"))) {
            atLogin = b;
        } else if (b->text() == QLatin1String("Monochrome tray icon (matches the panel's icons)")) {
            monochrome = b;
        }
    }
    REQUIRE(secondGpu);
    REQUIRE(atLogin);
    REQUIRE(monochrome);
    CHECK_FALSE(monochrome->isChecked()); // the colour icons by default
    monochrome->setChecked(true);
    CHECK(secondGpu->text() == QLatin1String("GPU 1: NVIDIA A100-SXM4-40GB (40g)"));
    secondGpu->setChecked(false);
    atLogin->setChecked(true);
    QTest::keyClick(&dialog, Qt::Key_Return);
    CHECK(dialog.result() == QDialog::Accepted);
    CHECK(settings.workerCpuset() == QLatin1String("0-1"));
    CHECK(settings.maxWorkDirSize() == QLatin1String("50g"));
    CHECK(settings.workerSlots() == 2);
    CHECK(settings.workerGpus() == QStringList { QStringLiteral("GPU-aaa") });
    CHECK(dialog.workerRestartNeeded());
    CHECK(autostart.isEnabled());
    CHECK(settings.startAtLogin());
    CHECK(settings.monochromeTrayIcon());

    // Unticking "start at login" in a later visit removes the entry again.
    ui::SettingsDialog again(&settings, &autostart, statusWithTwoGpus());
    again.show();
    REQUIRE(QTest::qWaitForWindowExposed(&again));
    QCheckBox *atLoginAgain = nullptr;
    for (QCheckBox *b : again.findChildren<QCheckBox *>()) {
        if (b->text().contains(QLatin1String("when I log in"))) {
            atLoginAgain = b;
        }
    }
    REQUIRE(atLoginAgain);
    CHECK(atLoginAgain->isChecked());
    atLoginAgain->setChecked(false);
    QTest::keyClick(&again, Qt::Key_Return);
    CHECK(again.result() == QDialog::Accepted);
    CHECK_FALSE(autostart.isEnabled());
    CHECK_FALSE(QFileInfo::exists(autostart.path()));
}

TEST_CASE("lending no GPU is kept apart from lending all of them", "[gui][shell][settings]")
{
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    ui::AutostartFile autostart(QStringLiteral("/usr/bin/codalab-desktop"), dir.path());
    ui::SettingsDialog dialog(&settings, &autostart, statusWithTwoGpus());
    for (QCheckBox *b : dialog.findChildren<QCheckBox *>()) {
        if (b->text().startsWith(QLatin1String("GPU"))) {
            b->setChecked(false);
        }
    }
    auto *manage = dialog.findChild<QCheckBox *>(QStringLiteral("manageWorker"));
    REQUIRE(manage);
    CHECK(manage->isChecked()); // the default: the desktop starts one
    manage->setChecked(false);
    dialog.accept();
    CHECK(settings.workerGpus() == QStringList { QStringLiteral("NONE") });
    CHECK_FALSE(settings.manageWorker()); // kept: the desktop starts no worker of its own
    CHECK_FALSE(dialog.workerRestartNeeded()); // GPUs are switched live, not by a restart
}

TEST_CASE(
    "a new server profile is checked, saved, and its password goes to the keyring", "[gui][shell][profiles]")
{
    QTemporaryDir dir;
    secrets::ProfileStore profiles(dir.filePath(QStringLiteral("profiles.ini")));
    REQUIRE_FALSE(profiles.add(secrets::Profile::makeLocal()).isEmpty());
    secrets::SecretStore keyring(QStringLiteral("CodaLab Desktop tests"), std::chrono::milliseconds(200));
    ui::ProfilesDialog dialog(&profiles, &keyring);
    ui::ProfileListModel probe(&profiles);
    QAbstractItemModelTester tester(&probe, QAbstractItemModelTester::FailureReportingMode::Fatal);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    // The local profile needs no account: its account fields are off, and its URL is the local server's
    // own, shown read-only (not a grey worksheets.codalab.org placeholder).
    CHECK_FALSE(field(&dialog, QStringLiteral("Username:"))->isEnabled());
    QLineEdit *localUrl = field(&dialog, QStringLiteral("Server URL:"));
    CHECK(localUrl->isReadOnly());
    CHECK_FALSE(localUrl->placeholderText().contains(QLatin1String("worksheets.codalab.org")));
    dialog.setLocalServerUrl(QStringLiteral("http://127.0.0.1:45123"));
    CHECK(localUrl->text() == QLatin1String("http://127.0.0.1:45123"));
    CHECK(localUrl->isEnabled());

    QTest::mouseClick(findButton(&dialog, QStringLiteral("Add server…")), Qt::LeftButton);
    QLineEdit *url = field(&dialog, QStringLiteral("Server URL:"));
    CHECK(url->isEnabled());
    QTest::keyClicks(url, QStringLiteral("ftp://codalab.example.org"));
    QTest::mouseClick(findButton(&dialog, QStringLiteral("Save")), Qt::LeftButton);
    CHECK(profiles.profiles().size() == 1); // refused
    CHECK_FALSE(url->styleSheet().isEmpty());

    url->clear();
    QTest::keyClicks(url, QStringLiteral("https://codalab.example.org"));
    QTest::keyClicks(field(&dialog, QStringLiteral("Username:")), QStringLiteral("alice"));
    QTest::keyClicks(field(&dialog, QStringLiteral("Password:")), QStringLiteral("s3cret pass"));
    QTest::keyClicks(field(&dialog, QStringLiteral("Default queue tag:")), QStringLiteral("gpu-box"));
    QSignalSpy saved(&dialog, &ui::ProfilesDialog::secretSaved);
    QTest::mouseClick(findButton(&dialog, QStringLiteral("Save")), Qt::LeftButton);
    REQUIRE(profiles.profiles().size() == 2);
    REQUIRE(saved.wait(20000));
    INFO(saved.first().at(1).toString().toStdString());
    CHECK(saved.first().at(0).toBool());
    const auto alice = profiles.find(QStringLiteral("https://codalab.example.org"), QStringLiteral("alice"));
    REQUIRE(alice);
    CHECK(alice->defaultQueueTag == QLatin1String("gpu-box"));
    CHECK(probe.rowCount() == 2);

    secrets::SecretJob *read = keyring.read(alice->secretKey());
    QSignalSpy readDone(read, &secrets::SecretJob::finished);
    REQUIRE(readDone.wait(20000));
    CHECK(readDone.first().first().value<secrets::SecretResult>().secret == QLatin1String("s3cret pass"));

    QSignalSpy activated(&dialog, &ui::ProfilesDialog::profileActivated);
    QTest::mouseClick(findButton(&dialog, QStringLiteral("Use this profile")), Qt::LeftButton);
    REQUIRE(activated.size() == 1);
    CHECK(profiles.currentProfileId() == alice->id);
    test::saveScreenshot(&dialog, QStringLiteral("profiles.png"));
}
