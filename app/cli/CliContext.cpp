// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include <cstdio>

namespace ApoloDeploy {

CliContext::CliContext(QStringList arguments, GlobalOptions global)
    : m_arguments(std::move(arguments))
    , m_global(std::move(global))
    , m_out(stdout)
    , m_err(stderr)
{
}

void CliContext::usageError(const QString &message)
{
    m_err << message << Qt::endl;
    finish(2);
}

void CliContext::finish(int exitCode)
{
    if (m_exitCode)
        return;
    m_out.flush();
    m_err.flush();
    m_exitCode = exitCode;
    if (m_onFinished)
        m_onFinished(exitCode);
}

} // namespace ApoloDeploy
