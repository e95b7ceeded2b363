// Passkey sign-in and registration (WebAuthn) for our pages. A file of its own: the Content-Security-Policy allows
// no inline script. The server's endpoints are Spring Security's: /webauthn/authenticate/options, /login/webauthn,
// /webauthn/register/options and /webauthn/register.
(function () {
	'use strict';

	function encode(buffer) {
		const bytes = new Uint8Array(buffer);
		let text = '';
		for (let i = 0; i < bytes.length; i++) {
			text += String.fromCharCode(bytes[i]);
		}
		return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	function decode(value) {
		const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
		const text = atob(base64 + '==='.slice((base64.length + 3) % 4));
		const bytes = new Uint8Array(text.length);
		for (let i = 0; i < text.length; i++) {
			bytes[i] = text.charCodeAt(i);
		}
		return bytes.buffer;
	}

	function csrfToken() {
		const input = document.querySelector('input[name="_csrf"]');
		return input ? input.value : '';
	}

	async function post(url, body) {
		const response = await fetch(url, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrfToken() },
			body: body ? JSON.stringify(body) : undefined
		});
		if (response.status === 401 && response.headers.get('X-Reauthenticate')) {
			// Adding a passkey needs a recent sign-in (mfa.RecentSignIn): sign in again, then come back.
			window.location.href = response.headers.get('X-Reauthenticate');
			throw new Error('sign in again');
		}
		if (!response.ok) {
			throw new Error('HTTP ' + response.status);
		}
		return response.json();
	}

	function showError(id) {
		const element = document.getElementById(id);
		if (element) {
			element.hidden = false;
		}
	}

	async function signIn() {
		try {
			const options = await post('/webauthn/authenticate/options');
			options.challenge = decode(options.challenge);
			options.allowCredentials = (options.allowCredentials || []).map((c) => ({ ...c, id: decode(c.id) }));
			const credential = await navigator.credentials.get({ publicKey: options });
			const response = credential.response;
			const result = await post('/login/webauthn', {
				id: credential.id,
				rawId: encode(credential.rawId),
				response: {
					authenticatorData: encode(response.authenticatorData),
					clientDataJSON: encode(response.clientDataJSON),
					signature: encode(response.signature),
					userHandle: response.userHandle ? encode(response.userHandle) : undefined
				},
				type: credential.type,
				clientExtensionResults: credential.getClientExtensionResults(),
				authenticatorAttachment: credential.authenticatorAttachment
			});
			if (result && result.authenticated && result.redirectUrl) {
				window.location.href = result.redirectUrl;
				return;
			}
			showError('passkey-error');
		}
		catch (err) {
			showError('passkey-error');
		}
	}

	async function register() {
		const labelInput = document.getElementById('passkey-label');
		const label = labelInput && labelInput.value.trim() ? labelInput.value.trim() : 'Passkey';
		try {
			const options = await post('/webauthn/register/options');
			options.challenge = decode(options.challenge);
			options.user = { ...options.user, id: decode(options.user.id) };
			options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: decode(c.id) }));
			const credential = await navigator.credentials.create({ publicKey: options });
			const response = credential.response;
			const result = await post('/webauthn/register', {
				publicKey: {
					credential: {
						id: credential.id,
						rawId: encode(credential.rawId),
						response: {
							attestationObject: encode(response.attestationObject),
							clientDataJSON: encode(response.clientDataJSON),
							transports: response.getTransports ? response.getTransports() : []
						},
						type: credential.type,
						clientExtensionResults: credential.getClientExtensionResults(),
						authenticatorAttachment: credential.authenticatorAttachment
					},
					label: label
				}
			});
			if (result && result.success) {
				window.location.href = '/account/security?passkey';
				return;
			}
			showError('passkey-error');
		}
		catch (err) {
			showError('passkey-error');
		}
	}

	document.addEventListener('DOMContentLoaded', function () {
		const supported = !!window.PublicKeyCredential;
		const signInButton = document.getElementById('passkey-sign-in');
		if (signInButton) {
			signInButton.hidden = !supported;
			signInButton.addEventListener('click', signIn);
		}
		const registerButton = document.getElementById('passkey-register');
		if (registerButton) {
			registerButton.hidden = !supported;
			registerButton.addEventListener('click', register);
		}
	});
})();
