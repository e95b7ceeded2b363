package dev.authserver.clients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * A {@link ResourceRetriever} for clients' {@code jwks_uri} that cannot be turned into a blind SSRF or a thread trap:
 * https only, to a host whose every address is public (loopback only when {@code
 * authserver.clients.allow-loopback-jwks-uri} is on, for the dev profile and tests), at most {@link #MAX_BYTES}, within
 * {@link #TIME_LIMIT} in total, no redirects.
 * <p>
 * CAUTION: the connection goes to the address that was checked, not to a second DNS answer (DNS rebinding), so this
 * speaks HTTP/1.0 over a socket opened to that address; TLS still verifies the certificate against the host name (SNI
 * and endpoint identification).
 */
final class JwksUriFetcher implements ResourceRetriever {

	static final int MAX_BYTES = 64 * 1024;

	static final Duration TIME_LIMIT = Duration.ofSeconds(3);

	private static final int MAX_HEADER_BYTES = 8 * 1024;

	private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "jwks-uri-deadline");
		thread.setDaemon(true);
		return thread;
	});

	private final boolean allowLoopback;

	JwksUriFetcher(boolean allowLoopback) {
		this.allowLoopback = allowLoopback;
	}

	@Override
	public Resource retrieveResource(URL url) throws IOException {
		String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
		String host = url.getHost();
		if (host == null || host.isEmpty() || url.getUserInfo() != null || url.getRef() != null) {
			throw new IOException("The jwks_uri must be an absolute URL with a host");
		}
		InetAddress address = checkedAddress(host);
		boolean https = "https".equals(scheme);
		if (!https && !("http".equals(scheme) && this.allowLoopback && address.isLoopbackAddress())) {
			throw new IOException("The jwks_uri must use https");
		}
		int port = (url.getPort() != -1) ? url.getPort() : url.getDefaultPort();
		long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
		Socket socket = new Socket();
		// The total limit: closing the socket ends a connect, handshake or read that is still waiting.
		ScheduledFuture<?> timeout = DEADLINES.schedule(() -> closeQuietly(socket), TIME_LIMIT.toMillis(),
				TimeUnit.MILLISECONDS);
		try (socket) {
			socket.connect(new InetSocketAddress(address, port), (int) TIME_LIMIT.toMillis());
			socket.setSoTimeout((int) TIME_LIMIT.toMillis());
			Socket connection = https ? tls(socket, host, port) : socket;
			String path = (url.getFile() == null || url.getFile().isEmpty()) ? "/" : url.getFile();
			String request = "GET " + path + " HTTP/1.0\r\nHost: " + url.getAuthority()
					+ "\r\nAccept: application/jwk-set+json, application/json\r\nUser-Agent: authserver\r\n"
					+ "Connection: close\r\n\r\n";
			OutputStream out = connection.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] response = readAtMost(connection.getInputStream(), MAX_HEADER_BYTES + MAX_BYTES + 1, deadline);
			return parse(response);
		}
		catch (IOException ex) {
			if (System.nanoTime() - deadline >= 0) {
				throw new IOException("The jwks_uri did not answer within " + TIME_LIMIT.toSeconds() + " s");
			}
			throw ex;
		}
		finally {
			timeout.cancel(false);
		}
	}

	/**
	 * Resolves the host and checks every address it has; one private address is enough to refuse (RFC 1918, RFC
	 * 4193, link-local, loopback, ...).
	 */
	InetAddress checkedAddress(String host) throws IOException {
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			throw new IOException("The jwks_uri host does not resolve");
		}
		for (InetAddress address : addresses) {
			if (address.isLoopbackAddress() && this.allowLoopback) {
				continue;
			}
			if (!isPublic(address)) {
				throw new IOException("The jwks_uri host is not a public address");
			}
		}
		return addresses[0];
	}

	static boolean isPublic(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local (RFC 4193); fe80::/10 is link-local, above
			if ((bytes[0] & 0xfe) == 0xfc) {
				return false;
			}
			// ::ffff:a.b.c.d, an IPv4 address in IPv6 clothing
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
				return false;
			}
			// ::a.b.c.d (IPv4-compatible, RFC 4291 §2.5.5.1) and every prefix that carries an IPv4 address inside:
			// 64:ff9b::/96 and 64:ff9b:1::/48 NAT64 (RFC 6052, 8215), 2002::/16 6to4 (RFC 3056), 2001::/32 Teredo
			// (RFC 4380); and 100::/64 discard-only (RFC 6666). Any of them could lead to an internal IPv4 host.
			if (mapped && bytes[10] == 0 && bytes[11] == 0) {
				return false;
			}
			int prefix16 = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
			int second16 = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
			return !(prefix16 == 0x0064 && (second16 == 0xff9b)) && prefix16 != 0x2002
					&& !(prefix16 == 0x2001 && second16 == 0x0000) && !(prefix16 == 0x0100 && second16 == 0);
		}
		int first = bytes[0] & 0xff;
		int second = bytes[1] & 0xff;
		// 0/8 "this network", 100.64/10 shared (carrier-grade NAT), 192.0.0/24, 198.18/15 benchmarking, 240/4 reserved
		return first != 0 && !(first == 100 && second >= 64 && second < 128)
				&& !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0) && !(first == 198 && (second & 0xfe) == 18)
				&& first < 240;
	}

	private static Socket tls(Socket socket, String host, int port) throws IOException {
		SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port,
				true);
		SSLParameters parameters = ssl.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		// SNI names a host, never an address literal (RFC 6066 §3); TLS still verifies the certificate against it.
		if (!host.contains(":") && !host.matches("[0-9.]+")) {
			parameters.setServerNames(List.of(new SNIHostName(host)));
		}
		ssl.setSSLParameters(parameters);
		ssl.startHandshake();
		return ssl;
	}

	private static byte[] readAtMost(InputStream in, int limit, long deadline) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int read;
		while ((read = in.read(buffer)) != -1) {
			out.write(buffer, 0, read);
			if (out.size() > limit) {
				throw new IOException("The jwks_uri answer is larger than " + MAX_BYTES + " bytes");
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new IOException("The jwks_uri did not answer within " + TIME_LIMIT.toSeconds() + " s");
			}
		}
		return out.toByteArray();
	}

	private static Resource parse(byte[] response) throws IOException {
		String text = new String(response, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0 || end > MAX_HEADER_BYTES) {
			throw new IOException("The jwks_uri answer is not HTTP");
		}
		String[] lines = text.substring(0, end).split("\r\n");
		String[] status = lines[0].split(" ", 3);
		if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !"200".equals(status[1])) {
			throw new IOException("The jwks_uri did not answer 200");
		}
		String contentType = null;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0 && "content-type".equalsIgnoreCase(lines[i].substring(0, colon).strip())) {
				contentType = lines[i].substring(colon + 1).strip();
			}
		}
		byte[] body = new byte[response.length - end - 4];
		System.arraycopy(response, end + 4, body, 0, body.length);
		if (body.length > MAX_BYTES) {
			throw new IOException("The jwks_uri answer is larger than " + MAX_BYTES + " bytes");
		}
		return new Resource(new String(body, StandardCharsets.UTF_8), contentType);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
