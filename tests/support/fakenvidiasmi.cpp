// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/fakenvidiasmi.h"

#include <QFile>
#include <QSaveFile>

#include <catch2/catch.hpp>

namespace codalab::test {

namespace {

void writeAtomically(const QString &path, const QByteArray &text)
{
    QSaveFile f(path); // the fake may be reading it right now
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(text);
    REQUIRE(f.commit());
}

} // namespace

FakeNvidiaSmi::FakeNvidiaSmi(const QString &script)
    : m_oldPath(qgetenv("PATH"))
    , m_apps(m_bin.filePath(QStringLiteral("apps.csv")))
    , m_pmon(m_bin.filePath(QStringLiteral("pmon.txt")))
{
    REQUIRE(QFile::link(script, m_bin.filePath(QStringLiteral("nvidia-smi"))));
    writeAtomically(m_apps, {});
    writeAtomically(m_pmon, {});
    qputenv("PATH", QFile::encodeName(m_bin.path()) + ':' + m_oldPath);
    qputenv("FAKE_NVIDIA_SMI", "two");
    qputenv("FAKE_NVIDIA_SMI_APPS", QFile::encodeName(m_apps));
    qputenv("FAKE_NVIDIA_SMI_PMON", QFile::encodeName(m_pmon));
}

FakeNvidiaSmi::~FakeNvidiaSmi()
{
    qputenv("PATH", m_oldPath);
    qunsetenv("FAKE_NVIDIA_SMI");
    qunsetenv("FAKE_NVIDIA_SMI_APPS");
    qunsetenv("FAKE_NVIDIA_SMI_PMON");
}

void FakeNvidiaSmi::setApps(const QByteArray &csv)
{
    writeAtomically(m_apps, csv);
}

void FakeNvidiaSmi::setPmon(const QByteArray &table)
{
    writeAtomically(m_pmon, table);
}

} // namespace codalab::test
