// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/SecretStore.h"

#include <QTest>

#include <optional>

namespace ApoloDeploy::Test {

// Waits (processing events) for one SecretStore callback; nullopt when it never came.
template <typename StartFunction> std::optional<SecretResult> awaitSecret(StartFunction start, int timeoutMs = 15000)
{
    auto result = std::make_shared<std::optional<SecretResult>>();
    start([result](const SecretResult &r) { *result = r; });
    if (!QTest::qWaitFor([&] { return result->has_value(); }, timeoutMs))
        return std::nullopt;
    return *result;
}

inline std::optional<SecretResult> readSecret(const QString &key)
{
    return awaitSecret([&](SecretStore::Callback done) { SecretStore::instance().read(key, nullptr, done); });
}

inline std::optional<SecretResult> writeSecret(const QString &key, const QByteArray &value)
{
    return awaitSecret([&](SecretStore::Callback done) { SecretStore::instance().write(key, value, nullptr, done); });
}

inline std::optional<SecretResult> removeSecret(const QString &key)
{
    return awaitSecret([&](SecretStore::Callback done) { SecretStore::instance().remove(key, nullptr, done); });
}

} // namespace ApoloDeploy::Test
