package dev.authserver.mail;

/**
 * Hands a rendered mail to whatever delivers it (SMTP, the dev mailbox). Called off the request thread.
 */
interface MailTransport {

	void deliver(MailMessage message) throws Exception;

}
