// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ConnectionStatusWidget.h"

#include "ui/Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace ApoloDeploy {

ConnectionStatusWidget::ConnectionStatusWidget(QWidget *parent)
    : QWidget(parent)
    , m_badgeLabel(new QLabel(tr("Sandbox"), this))
    , m_textLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionStatusWidget"));
    m_badgeLabel->setObjectName(QStringLiteral("sandboxBadgeLabel"));
    m_badgeLabel->setAccessibleName(tr("Sandbox connection"));
    m_badgeLabel->setToolTip(tr("Connected to the embedded apolo-sandbox: jobs, logs and credits are emulated on "
                                "this computer. Nothing runs on a real cluster."));
    QFont badgeFont = m_badgeLabel->font();
    badgeFont.setBold(true);
    m_badgeLabel->setFont(badgeFont);
    m_badgeLabel->setAutoFillBackground(true);
    m_badgeLabel->setContentsMargins(8, 1, 8, 1);
    m_textLabel->setObjectName(QStringLiteral("connectionTextLabel"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_badgeLabel);
    layout->addWidget(m_textLabel);
    applyBadgeColours();
    setState(ConnectionKind::SignedOut, {}, {}, {});
}

void ConnectionStatusWidget::setState(ConnectionKind kind, const QString &cluster, const QString &org,
                                      const QString &project)
{
    m_kind = kind;
    m_badgeLabel->setVisible(kind == ConnectionKind::Sandbox);
    QString text;
    QString toolTip;
    switch (kind) {
    case ConnectionKind::SignedOut:
        text = tr("Signed out");
        toolTip = tr("Not connected to Apolo. Sign in to plan with real prices and launch jobs.");
        break;
    case ConnectionKind::Sandbox:
        text.clear(); // the badge says it
        toolTip = m_badgeLabel->toolTip();
        break;
    case ConnectionKind::Platform: {
        QStringList parts;
        for (const QString &part : {cluster, org, project}) {
            if (!part.isEmpty())
                parts << part;
        }
        text = parts.join(QStringLiteral(" · "));
        toolTip = tr("Connected to Apolo. Cluster: %1, organization: %2, project: %3")
                      .arg(cluster.isEmpty() ? tr("none") : cluster, org.isEmpty() ? tr("none") : org,
                           project.isEmpty() ? tr("none") : project);
        break;
    }
    }
    m_textLabel->setText(text);
    m_textLabel->setVisible(!text.isEmpty());
    setToolTip(toolTip);
    setAccessibleName(tr("Connection: %1").arg(this->text()));
}

QString ConnectionStatusWidget::text() const
{
    return m_kind == ConnectionKind::Sandbox ? m_badgeLabel->text() : m_textLabel->text();
}

bool ConnectionStatusWidget::badgeVisible() const
{
    return !m_badgeLabel->isHidden();
}

void ConnectionStatusWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyBadgeColours();
}

void ConnectionStatusWidget::applyBadgeColours()
{
    QPalette badge = palette();
    badge.setColor(QPalette::Window, Theme::sandboxBadgeBackground(palette()));
    badge.setColor(QPalette::WindowText, Theme::sandboxBadgeForeground(palette()));
    m_badgeLabel->setPalette(badge);
}

} // namespace ApoloDeploy
