package dev.authserver.clients;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JwksUriFetcherTests {

	private final JwksUriFetcher strict = new JwksUriFetcher(false);

	@Test
	void retrieveResourceWhenHostIsLoopbackPrivateOrLinkLocalThenRefusedWithoutConnecting() {
		for (String url : new String[] { "https://127.0.0.1/jwks", "https://localhost/jwks", "https://[::1]/jwks",
				"https://10.0.0.1/jwks", "https://172.16.0.1/jwks", "https://192.168.1.1/jwks",
				"https://169.254.169.254/latest", "https://[fc00::1]/jwks", "https://[fe80::1]/jwks",
				"https://[::ffff:127.0.0.1]/jwks", "https://0.0.0.0/jwks", "http://127.0.0.1:1/jwks" }) {
			assertThatExceptionOfType(IOException.class).as(url)
				.isThrownBy(() -> this.strict.retrieveResource(URI.create(url).toURL()));
		}
	}

	@Test
	void retrieveResourceWhenLoopbackIsAllowedThenOnlyLoopbackIsAllowed() throws Exception {
		JwksUriFetcher dev = new JwksUriFetcher(true);
		assertThat(dev.checkedAddress("127.0.0.1").isLoopbackAddress()).isTrue();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> dev.checkedAddress("10.1.2.3"));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> dev.checkedAddress("169.254.169.254"));
	}

	@Test
	void retrieveResourceWhenHttpToAPublicHostThenRefused() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.strict.retrieveResource(URI.create("http://93.184.216.34/jwks").toURL()));
	}

	@Test
	void isPublicWhenAddressIsPublicThenTrue() throws Exception {
		assertThat(JwksUriFetcher.isPublic(InetAddress.getByName("93.184.216.34"))).isTrue();
		assertThat(JwksUriFetcher.isPublic(InetAddress.getByName("2606:2800:220:1::1"))).isTrue();
		assertThat(JwksUriFetcher.isPublic(InetAddress.getByName("100.64.0.1"))).isFalse();
	}

	@Test
	void isPublicWhenAnIpv6AddressCarriesAnIpv4AddressThenFalse() throws Exception {
		for (String address : List.of("64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1", "2001:0:a00:1::1",
				"::a00:1", "100::1")) {
			assertThat(JwksUriFetcher.isPublic(InetAddress.getByName(address))).as(address).isFalse();
		}
	}

}
