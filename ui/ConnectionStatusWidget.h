// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;

namespace ApoloDeploy {

// Where the console's actions go: nowhere (signed out), the embedded apolo-sandbox, or a real
// Apolo cluster/org/project.
enum class ConnectionKind { SignedOut, Sandbox, Platform };

// The permanent status-bar widget that shows the connection. The sandbox gets a badge so that
// nobody mistakes emulated jobs and credits for real ones.
class ConnectionStatusWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionStatusWidget)

public:
    explicit ConnectionStatusWidget(QWidget *parent = nullptr);

    void setState(ConnectionKind kind, const QString &cluster, const QString &org, const QString &project);
    ConnectionKind kind() const { return m_kind; }
    // What the status bar says, e.g. "Signed out", "Sandbox", "gpu-cluster · acme · llm".
    QString text() const;
    bool badgeVisible() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyBadgeColours();

    ConnectionKind m_kind = ConnectionKind::SignedOut;
    QLabel *m_badgeLabel;
    QLabel *m_textLabel;
};

} // namespace ApoloDeploy
