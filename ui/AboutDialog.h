// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace ApoloDeploy {

// Version, git hash, library versions, OS and licences, with the debug information one click
// away from a bug report ("Copy to Clipboard"), as KeePassXC does.
class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // Exactly what "Copy to Clipboard" copies.
    QString debugInfo() const;
    static QString licenceText();

private:
    void copyToClipboard();

    QPlainTextEdit *m_debugInfoEdit;
    QPushButton *m_copyButton;
};

} // namespace ApoloDeploy
