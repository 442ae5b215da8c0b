// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secreterror.h"
#include "secrets/secretkey.h"

#include <catch2/catch.hpp>

using namespace codalab::secrets;

TEST_CASE("server addresses are normalised so one server has one spelling", "[secretkey]")
{
    const auto normal
        = [](const char *url) { return SecretKey::normalizeServerUrl(QString::fromUtf8(url)).toStdString(); };
    CHECK(normal("https://worksheets.codalab.org") == "https://worksheets.codalab.org");
    CHECK(normal("HTTPS://Worksheets.CodaLab.ORG:443/") == "https://worksheets.codalab.org");
    CHECK(normal("  worksheets.codalab.org  ") == "https://worksheets.codalab.org");
    CHECK(normal("http://127.0.0.1:2900/") == "http://127.0.0.1:2900");
    CHECK(normal("http://localhost:80") == "http://localhost");
    CHECK(normal("https://host:8443") == "https://host:8443");
    CHECK(normal("https://user:pw@host/codalab//?q=1#frag") == "https://host/codalab");
    CHECK(normal("").empty());
    CHECK(normal("https://").empty());
    CHECK(normal("::").empty());
}

TEST_CASE("a key is the normalised server and the user, and two pairs never give one key", "[secretkey]")
{
    const SecretKey key(QStringLiteral("Worksheets.codalab.org/"), QStringLiteral(" alice "));
    CHECK(key.isValid());
    CHECK(key.server().toStdString() == "https://worksheets.codalab.org");
    CHECK(key.username().toStdString() == "alice");
    CHECK(key.toString().toStdString() == "https://worksheets.codalab.org|alice");
    CHECK(key == SecretKey(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("alice")));
    CHECK_FALSE(key == SecretKey(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("bob")));

    // Without percent-encoding both would be "https://a.example/x|y|z".
    const SecretKey pipeInPath(QStringLiteral("https://a.example/x|y"), QStringLiteral("z"));
    const SecretKey pipeInUser(QStringLiteral("https://a.example/x"), QStringLiteral("y|z"));
    CHECK(pipeInPath.toString() != pipeInUser.toString());

    CHECK_FALSE(SecretKey().isValid());
    CHECK_FALSE(SecretKey(QStringLiteral("https://a.example"), QString()).isValid());
    CHECK_FALSE(SecretKey(QString(), QStringLiteral("alice")).isValid());
}

TEST_CASE("each error kind has its own user-readable message", "[secretkey]")
{
    const SecretError none = SecretError::make(SecretError::Kind::None);
    CHECK_FALSE(none.isError());
    const SecretError noBackend = SecretError::make(SecretError::Kind::NoBackend, QStringLiteral("no bus"));
    CHECK(noBackend.isError());
    CHECK(noBackend.message.startsWith(
        QLatin1String("No keyring is available: install and unlock GNOME Keyring or KWallet")));
    CHECK(noBackend.message.contains(QLatin1String("--password-file")));
    CHECK(noBackend.detail.toStdString() == "no bus");
    CHECK(SecretError::make(SecretError::Kind::Locked)
              .message.startsWith(QLatin1String("The keyring is locked")));
    CHECK(SecretError::make(SecretError::Kind::Other, QStringLiteral("boom")).message.toStdString()
        == "The keyring reported an error: boom");
    CHECK(SecretError::kindName(SecretError::Kind::NotFound).toStdString() == "not found");
}
