/** The environment variable the snippets read the API key from; the real key is never shown. */
export const API_KEY_VARIABLE = "STRONGROOM_API_KEY";

export function pythonSnippet(url: string, instanceId: string): string {
  return `# pip install keyprotect
import os
import keyprotect
from keyprotect import bxauth

tm = bxauth.TokenManager(
    api_key=os.environ["${API_KEY_VARIABLE}"],
    iam_endpoint="${url}",
)
kp = keyprotect.Client(
    credentials=tm,
    region="local",
    service_instance_id="${instanceId}",
    endpoint_url="${url}",
)
for key in kp.keys():
    print(key["id"], key["name"])
`;
}

export function nodeSnippet(url: string, instanceId: string): string {
  return `// npm install @ibm-cloud/ibm-key-protect
const KeyProtectV2 = require("@ibm-cloud/ibm-key-protect/ibm-key-protect-api/v2");
const { IamAuthenticator } = require("@ibm-cloud/ibm-key-protect/auth");

const keyProtect = new KeyProtectV2({
  authenticator: new IamAuthenticator({
    apikey: process.env.${API_KEY_VARIABLE},
    url: "${url}",
  }),
  serviceUrl: "${url}",
});

keyProtect
  .getKeys({ bluemixInstance: "${instanceId}" })
  .then((response) => console.log(response.result.resources));
`;
}
