package dev.authserver.mfa;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * A passkey authenticator in software, as a browser and a platform authenticator would answer WebAuthn ceremonies
 * (W3C WebAuthn Level 2): an ES256 key, "none" attestation, user presence and verification, written with the JDK
 * and a few lines of CBOR so that the server's webauthn4j checks real bytes.
 */
final class SoftwareAuthenticator {

	private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

	private final String origin;

	private final KeyPair keyPair;

	private final byte[] credentialId = new byte[16];

	private byte[] userHandle = new byte[0];

	private int signCount;

	SoftwareAuthenticator(String origin) {
		this.origin = origin;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			this.keyPair = generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		new SecureRandom().nextBytes(this.credentialId);
	}

	/** Answers the options of {@code /webauthn/register/options} with the body of {@code /webauthn/register}. */
	String register(String creationOptionsJson, String label) throws Exception {
		Map<String, Object> options = JSONObjectUtils.parse(creationOptionsJson);
		Map<String, Object> rp = JSONObjectUtils.getJSONObject(options, "rp");
		Map<String, Object> user = JSONObjectUtils.getJSONObject(options, "user");
		this.userHandle = B64URL_DECODER.decode((String) user.get("id"));
		byte[] clientData = clientData("webauthn.create", (String) options.get("challenge"));
		ByteArrayOutputStream authData = new ByteArrayOutputStream();
		authData.write(sha256(((String) rp.get("id")).getBytes(StandardCharsets.UTF_8)));
		authData.write(0x01 | 0x04 | 0x40); // UP, UV, AT
		authData.write(ByteBuffer.allocate(4).putInt(this.signCount).array());
		authData.write(new byte[16]); // AAGUID
		authData.write(ByteBuffer.allocate(2).putShort((short) this.credentialId.length).array());
		authData.write(this.credentialId);
		authData.write(coseKey());
		Cbor attestation = new Cbor().mapHeader(3)
			.text("fmt").text("none")
			.text("attStmt").mapHeader(0)
			.text("authData").bytes(authData.toByteArray());
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("attestationObject", B64URL.encodeToString(attestation.toByteArray()));
		response.put("clientDataJSON", B64URL.encodeToString(clientData));
		response.put("transports", List.of("internal"));
		Map<String, Object> credential = credential();
		credential.put("response", response);
		return JSONObjectUtils.toJSONString(Map.of("publicKey", Map.of("credential", credential, "label", label)));
	}

	/** Answers the options of {@code /webauthn/authenticate/options} with the body of {@code /login/webauthn}. */
	String authenticate(String requestOptionsJson) throws Exception {
		Map<String, Object> options = JSONObjectUtils.parse(requestOptionsJson);
		byte[] clientData = clientData("webauthn.get", (String) options.get("challenge"));
		ByteArrayOutputStream authData = new ByteArrayOutputStream();
		authData.write(sha256(((String) options.get("rpId")).getBytes(StandardCharsets.UTF_8)));
		authData.write(0x01 | 0x04); // UP, UV
		authData.write(ByteBuffer.allocate(4).putInt(++this.signCount).array());
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(this.keyPair.getPrivate());
		signer.update(authData.toByteArray());
		signer.update(sha256(clientData));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("authenticatorData", B64URL.encodeToString(authData.toByteArray()));
		response.put("clientDataJSON", B64URL.encodeToString(clientData));
		response.put("signature", B64URL.encodeToString(signer.sign()));
		response.put("userHandle", B64URL.encodeToString(this.userHandle));
		Map<String, Object> credential = credential();
		credential.put("response", response);
		return JSONObjectUtils.toJSONString(credential);
	}

	private Map<String, Object> credential() {
		Map<String, Object> credential = new LinkedHashMap<>();
		credential.put("id", B64URL.encodeToString(this.credentialId));
		credential.put("rawId", B64URL.encodeToString(this.credentialId));
		credential.put("type", "public-key");
		credential.put("clientExtensionResults", Map.of());
		credential.put("authenticatorAttachment", "platform");
		return credential;
	}

	private byte[] clientData(String type, String challenge) {
		Map<String, Object> clientData = new LinkedHashMap<>();
		clientData.put("type", type);
		clientData.put("challenge", challenge);
		clientData.put("origin", this.origin);
		clientData.put("crossOrigin", false);
		return JSONObjectUtils.toJSONString(clientData).getBytes(StandardCharsets.UTF_8);
	}

	// RFC 9053 §7.1.1: EC2 key, ES256, P-256.
	private byte[] coseKey() {
		ECPublicKey publicKey = (ECPublicKey) this.keyPair.getPublic();
		return new Cbor().mapHeader(5)
			.integer(1).integer(2)
			.integer(3).integer(-7)
			.integer(-1).integer(1)
			.integer(-2).bytes(unsigned32(publicKey.getW().getAffineX()))
			.integer(-3).bytes(unsigned32(publicKey.getW().getAffineY()))
			.toByteArray();
	}

	private static byte[] unsigned32(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[32];
		int length = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
		return out;
	}

	private static byte[] sha256(byte[] data) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(data);
	}

	/** The few CBOR items (RFC 8949) the attestation object and the COSE key need. */
	private static final class Cbor {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Cbor mapHeader(int entries) {
			return header(5, entries);
		}

		Cbor text(String value) {
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			header(3, bytes.length);
			this.out.writeBytes(bytes);
			return this;
		}

		Cbor bytes(byte[] value) {
			header(2, value.length);
			this.out.writeBytes(value);
			return this;
		}

		Cbor integer(int value) {
			return (value >= 0) ? header(0, value) : header(1, -1 - value);
		}

		private Cbor header(int major, int length) {
			if (length < 24) {
				this.out.write((major << 5) | length);
			}
			else if (length < 256) {
				this.out.write((major << 5) | 24);
				this.out.write(length);
			}
			else {
				this.out.write((major << 5) | 25);
				this.out.write(length >> 8);
				this.out.write(length & 0xff);
			}
			return this;
		}

		byte[] toByteArray() {
			return this.out.toByteArray();
		}

	}

}
