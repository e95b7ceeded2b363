package dev.authserver.clients;

import java.util.List;

import com.nimbusds.jose.util.Resource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SectorIdentifiersTests {

	private static final String SECTOR_URI = "https://sector.example/redirects.json";

	@Test
	void sectorWhenSectorIdentifierUriListsEveryRedirectUriThenItsHost() {
		SectorIdentifiers sectors = serving("[\"https://a.example/cb\", \"https://b.example/cb\"]");
		SectorIdentifiers.Sector sector = sectors.sector(SECTOR_URI,
				List.of("https://a.example/cb", "https://b.example/cb"));
		assertThat(sector.isValid()).isTrue();
		assertThat(sector.host()).isEqualTo("sector.example");
	}

	@Test
	void sectorWhenSectorIdentifierUriMissesARedirectUriThenRefusedNamingIt() {
		SectorIdentifiers.Sector sector = serving("[\"https://a.example/cb\"]").sector(SECTOR_URI,
				List.of("https://a.example/cb", "https://b.example/cb"));
		assertThat(sector.isValid()).isFalse();
		assertThat(sector.field()).isEqualTo("sector_identifier_uri");
		assertThat(sector.problem()).contains("https://b.example/cb");
	}

	@Test
	void sectorWhenSectorIdentifierUriIsNotAnArrayOfStringsThenRefused() {
		for (String body : List.of("{\"redirect_uris\": []}", "[1, 2]", "not json")) {
			SectorIdentifiers.Sector sector = serving(body).sector(SECTOR_URI, List.of("https://a.example/cb"));
			assertThat(sector.isValid()).as(body).isFalse();
			assertThat(sector.field()).isEqualTo("sector_identifier_uri");
		}
	}

	@Test
	void sectorWhenSectorIdentifierUriIsNotHttpsThenRefused() {
		SectorIdentifiers sectors = new SectorIdentifiers((url) -> {
			throw new AssertionError("fetched " + url);
		});
		assertThat(sectors.sector("ftp://sector.example/redirects.json", List.of("https://a.example/cb")).field())
			.isEqualTo("sector_identifier_uri");
		// Plain http to a public host: the guarded fetcher refuses it
		assertThat(new SectorIdentifiers(new JwksUriFetcher(true))
			.sector("http://93.184.216.34/redirects.json", List.of("https://a.example/cb"))
			.isValid()).isFalse();
	}

	@Test
	void sectorWhenSectorIdentifierUriIsOnAPrivateAddressThenRefused() {
		// The guarded fetcher of jwks_uri, without the loopback allowance
		SectorIdentifiers sectors = new SectorIdentifiers(new JwksUriFetcher(false));
		for (String uri : List.of("https://10.0.0.1/redirects.json", "https://127.0.0.1/redirects.json",
				"https://169.254.169.254/latest")) {
			SectorIdentifiers.Sector sector = sectors.sector(uri, List.of("https://a.example/cb"));
			assertThat(sector.isValid()).as(uri).isFalse();
			assertThat(sector.field()).isEqualTo("sector_identifier_uri");
			assertThat(sector.problem()).isEqualTo("could not be fetched");
		}
	}

	@Test
	void sectorWhenNoSectorIdentifierUriAndOneHostThenThatHost() {
		SectorIdentifiers.Sector sector = serving("[]").sector(null,
				List.of("https://RP.example/cb", "https://rp.example/other"));
		assertThat(sector.host()).isEqualTo("rp.example");
	}

	@Test
	void sectorWhenNoSectorIdentifierUriAndTwoHostsThenRefused() {
		SectorIdentifiers.Sector sector = serving("[]").sector(null,
				List.of("https://a.example/cb", "https://b.example/cb"));
		assertThat(sector.isValid()).isFalse();
		assertThat(sector.field()).isEqualTo("sector_identifier_uri");
	}

	@Test
	void sectorWhenNoSectorIdentifierUriAndTheRedirectHostIsLoopbackThenRefused() {
		for (String redirectUri : List.of("http://127.0.0.1/cb", "http://localhost:8080/cb", "http://[::1]/cb")) {
			SectorIdentifiers.Sector sector = serving("[]").sector(null, List.of(redirectUri));
			assertThat(sector.isValid()).as(redirectUri).isFalse();
			assertThat(sector.field()).isEqualTo("sector_identifier_uri");
		}
	}

	private static SectorIdentifiers serving(String body) {
		return new SectorIdentifiers((url) -> new Resource(body, "application/json"));
	}

}
